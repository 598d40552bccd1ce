import Foundation
import ZooTensor

/// numpy's `.npy` format (version 1.0): a magic string, a Python-dict header giving dtype,
/// order and shape, then the raw little-endian C-order data. Enough to exchange tensors
/// with numpy and onnxruntime (`zoo run --input NAME=FILE.npy`, interop tests).
public enum NPYFile {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    private static let descriptors: [DType: String] = [
        .float32: "<f4", .float64: "<f8", .float16: "<f2", .int64: "<i8", .int32: "<i4", .int16: "<i2", .int8: "|i1",
        .uint64: "<u8", .uint32: "<u4", .uint16: "<u2", .uint8: "|u1", .bool: "|b1",
    ]

    public static func encode(_ tensor: Tensor) throws(Failure) -> [UInt8] {
        guard let descriptor = descriptors[tensor.dtype] else { throw Failure(description: "no .npy dtype for \(tensor.dtype)") }
        let shape = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(\(tensor.shape.map(String.init).joined(separator: ", ")))"
        var header = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(shape), }"
        // The data starts on a 64-byte boundary; the header ends with a newline.
        let unpadded = magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = UInt16(header.utf8.count)
        var bytes = magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
        tensor.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(Failure) -> Tensor {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw Failure(description: "not a .npy file") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            (headerLength, headerStart) = (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
        } else {
            guard bytes.count >= 12 else { throw Failure(description: "truncated .npy header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard headerStart + headerLength <= bytes.count else { throw Failure(description: "truncated .npy header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descriptor = field("descr", in: header)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")),
              let dtype = descriptors.first(where: { $0.value == descriptor || $0.value.dropFirst() == descriptor.dropFirst() && descriptor.first == "=" })?.key
        else { throw Failure(description: "unsupported .npy dtype in header \(header)") }
        guard field("fortran_order", in: header)?.trimmingCharacters(in: .whitespaces) == "False" else {
            throw Failure(description: "Fortran-order .npy files are not supported")
        }
        guard let shapeText = header.range(of: "(").flatMap({ open in header.range(of: ")", range: open.upperBound..<header.endIndex).map { header[open.upperBound..<$0.lowerBound] } }) else {
            throw Failure(description: "no shape in .npy header \(header)")
        }
        var shape: [Int] = []
        for part in shapeText.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let size = Int(text), size >= 0 else { throw Failure(description: "bad shape (\(shapeText)) in .npy header") }
            shape.append(size)
        }
        let data = bytes[(headerStart + headerLength)...]
        do {
            return try Array(data).withUnsafeBytes { raw throws(TensorError) in try Tensor(dtype: dtype, shape: shape, bytes: raw) }
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    public static func read(from path: String) throws(Failure) -> Tensor {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        return try decode([UInt8](data))
    }

    public static func write(_ tensor: Tensor, to path: String) throws(Failure) {
        let bytes = try encode(tensor)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw Failure(description: "cannot write \(path)")
        }
    }

    /// The text after `'key':` up to the next comma outside parentheses.
    private static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var value = ""
        for character in header[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," && depth == 0) || character == "}" { break }
            value.append(character)
        }
        return value
    }
}
