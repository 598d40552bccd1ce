import Foundation
import ZooTensor

/// The JSON header of a safetensors file, parsed and checked against the data region:
///
///     { "<tensor name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
///       ...,
///       "__metadata__": {"<key>": "<string value>"} }
///
/// Offsets are relative to the start of the data region. As the format requires, the
/// tensors' byte ranges must cover the data region exactly: no overlaps, no gaps, no bytes
/// left over (so a file cannot hide a second payload).
struct SafeTensorsHeader {
    struct Entry {
        var name: String
        var dtype: DType
        var shape: [Int]
        var offsets: Range<Int>
    }

    /// Ordered by position in the data region.
    var entries: [Entry]
    var metadata: [String: String]

    /// The format's dtype names; any other (F8_E4M3, I4, ...) is refused.
    static let dtypes: [String: DType] = [
        "F32": .float32, "F16": .float16, "BF16": .bfloat16, "F64": .float64,
        "I64": .int64, "I32": .int32, "I16": .int16, "I8": .int8, "U64": .uint64, "U32": .uint32, "U16": .uint16,
        "U8": .uint8, "BOOL": .bool,
    ]

    init(json: [UInt8], dataByteCount: Int, file: String) throws(WeightsError) {
        let raw: RawHeader
        do { raw = try JSONDecoder().decode(RawHeader.self, from: Data(json)) } catch let error as DecodingError {
            throw .invalidHeader(file: file, reason: Self.describe(error))
        } catch {
            throw .invalidHeader(file: file, reason: "\(error)")
        }
        metadata = raw.metadata
        entries = try raw.entries.map { name, entry throws(WeightsError) in
            try Self.validate(entry, named: name, dataByteCount: dataByteCount, file: file)
        }
        entries.sort { ($0.offsets.lowerBound, $0.offsets.upperBound, $0.name) < ($1.offsets.lowerBound, $1.offsets.upperBound, $1.name) }
        try checkCoverage(dataByteCount: dataByteCount, file: file)
    }

    private static func validate(_ entry: RawEntry, named name: String, dataByteCount: Int, file: String) throws(WeightsError) -> Entry {
        let invalid = { (reason: String) in WeightsError.invalidTensor(file: file, name: name, reason: reason) }
        guard let dtype = dtypes[entry.dtype] else {
            throw invalid("dtype '\(entry.dtype)' is not supported (\(dtypes.keys.sorted().joined(separator: ", ")) are)")
        }
        guard entry.dataOffsets.count == 2 else {
            throw invalid("data_offsets \(entry.dataOffsets) is not a [begin, end] pair")
        }
        let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
        guard 0 <= begin, begin <= end, end <= dataByteCount else {
            throw invalid("data_offsets [\(begin), \(end)] do not lie within the \(dataByteCount)-byte data region")
        }
        let byteCount: Int
        do { byteCount = try ShapeArithmetic.byteCount(entry.shape, dtype: dtype) } catch { throw invalid(error.description) }
        guard byteCount == end - begin else {
            throw invalid("shape \(entry.shape) of \(entry.dtype) needs \(byteCount) bytes, data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return Entry(name: name, dtype: dtype, shape: entry.shape, offsets: begin..<end)
    }

    /// The sorted byte ranges must tile the data region exactly.
    private func checkCoverage(dataByteCount: Int, file: String) throws(WeightsError) {
        var covered = 0
        var previous: Entry?
        for entry in entries {
            if entry.offsets.lowerBound < covered, let previous {
                throw .invalidTensor(file: file, name: entry.name, reason: "data_offsets [\(entry.offsets.lowerBound), \(entry.offsets.upperBound)] overlap those of '\(previous.name)' [\(previous.offsets.lowerBound), \(previous.offsets.upperBound)]")
            }
            if entry.offsets.lowerBound > covered {
                throw .invalidHeader(file: file, reason: "data bytes [\(covered), \(entry.offsets.lowerBound)) belong to no tensor")
            }
            covered = entry.offsets.upperBound
            previous = entry
        }
        guard covered == dataByteCount else {
            throw .invalidHeader(file: file, reason: "data bytes [\(covered), \(dataByteCount)) belong to no tensor")
        }
    }

    /// A decoding failure as a short phrase naming where in the header it happened.
    private static func describe(_ error: DecodingError) -> String {
        func location(_ context: DecodingError.Context) -> String {
            guard let first = context.codingPath.first else { return "the header" }
            return "'\(first.stringValue)'" + context.codingPath.dropFirst().map { key in
                key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
            }.joined()
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(location(context)) is not \(describe(type))"
        case .valueNotFound(let type, let context): return "\(location(context)) is null, expected \(describe(type))"
        case .keyNotFound(let key, let context): return "\(location(context)) has no '\(key.stringValue)'"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(location(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is String.Type: "a string"
        case is [Int].Type, is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// The header as JSON gives it, before any checks.
private struct RawHeader: Decodable {
    var entries: [String: RawEntry] = [:]
    var metadata: [String: String] = [:]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                entries[key.stringValue] = try container.decode(RawEntry.self, forKey: key)
            }
        }
    }
}

private struct RawEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    private enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dtype = try container.decode(String.self, forKey: .dtype)
        shape = try container.decode([WholeNumber].self, forKey: .shape).map(\.value)
        dataOffsets = try container.decode([WholeNumber].self, forKey: .dataOffsets).map(\.value)
    }
}

/// A JSON integer. Decoding `Int` directly, Foundation on Linux reports 1.5 or 1e30 as
/// "not valid JSON" without saying where; this says which number is wrong.
private struct WholeNumber: Decodable {
    var value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self.value = value
            return
        }
        let number = try container.decode(Double.self)
        throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "\(number)"))
    }
}
