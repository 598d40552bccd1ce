import ZooGraph
import ZooTensor

/// Reads safetensors files, the format Hugging Face publishes weights in:
///
///     bytes 0..<8          N, the header length, a little-endian UInt64
///     bytes 8..<8+N        the JSON header (see `SafeTensorsHeader`)
///     bytes 8+N..<end      the data region: each tensor's elements, little-endian, row-major
///
/// Every length and offset is checked against the file's size before it is used, and each
/// tensor is read with one `pread` straight into its storage.
public enum SafeTensorsFile {
    /// The reference implementation's limit; a larger header is refused before it is read.
    public static let maximumHeaderByteCount = 100_000_000

    /// The header's `__metadata__` (empty when absent) and the tensors by name.
    public static func load(_ path: String) throws(WeightsError) -> (metadata: [String: String], tensors: [String: Tensor]) {
        let file = try ReadOnlyFile(path)
        let header = try readHeader(of: file)
        let dataStart = file.size - header.dataByteCount
        var tensors: [String: Tensor] = [:]
        for entry in header.parsed.entries {
            var tensor: Tensor
            do { tensor = try Tensor(zeros: entry.shape, dtype: entry.dtype) } catch {
                throw .invalidTensor(file: path, name: entry.name, reason: error.description)
            }
            try file.read(into: &tensor, at: dataStart + entry.offsets.lowerBound)
            if let (index, byte) = tensor.firstInvalidBoolean {
                throw .invalidTensor(file: path, name: entry.name, reason: "BOOL element \(index) is \(byte), not 0 or 1")
            }
            tensors[entry.name] = tensor
        }
        return (header.parsed.metadata, tensors)
    }

    /// `graph` with its initializers replaced by the file's tensors, under the same checks
    /// as `WeightsFile.load(_:into:)`: every mismatch is reported at once.
    public static func load(_ path: String, into graph: Graph) throws(WeightsError) -> Graph {
        try ParameterMatching.assign(try load(path).tensors, to: graph, file: path)
    }

    private static func readHeader(of file: borrowing ReadOnlyFile) throws(WeightsError) -> (parsed: SafeTensorsHeader, dataByteCount: Int) {
        let path = file.path
        let invalid = { (reason: String) in WeightsError.invalidHeader(file: path, reason: reason) }
        guard file.size >= 8 else { throw invalid("the file is \(file.size) bytes, too short for the 8-byte header length") }
        let length = try file.readBytes(8, at: 0).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(maximumHeaderByteCount) else {
            throw invalid("the header length \(length) is more than the \(maximumHeaderByteCount) bytes allowed")
        }
        let headerByteCount = Int(length)
        guard headerByteCount <= file.size - 8 else {
            throw invalid("the header length \(headerByteCount) runs past the end of the file (\(file.size) bytes)")
        }
        let json = try file.readBytes(headerByteCount, at: 8)
        let dataByteCount = file.size - 8 - headerByteCount
        return (try SafeTensorsHeader(json: json, dataByteCount: dataByteCount, file: path), dataByteCount)
    }
}
