import Foundation
import ZooTensor

/// Writes safetensors files for conversion tests: the 8-byte little-endian header length,
/// the JSON header, the tensors' bytes in order. `claimedHeaderLength` overrides the length
/// prefix, to make files that lie about it.
enum SafeTensorsWriter {
    static let names: [DType: String] = [.float32: "F32", .float16: "F16", .float64: "F64", .int64: "I64", .int32: "I32"]

    static func write(_ tensors: [(name: String, tensor: Tensor)], to path: String, claimedHeaderLength: UInt64? = nil) throws {
        var header: [String: Any] = [:]
        var data: [UInt8] = []
        for (name, tensor) in tensors {
            header[name] = ["dtype": names[tensor.dtype]!, "shape": tensor.shape, "data_offsets": [data.count, data.count + tensor.byteCount]]
            tensor.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let length = claimedHeaderLength ?? UInt64(json.count)
        let prefix = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        try Data(prefix + json + data).write(to: URL(fileURLWithPath: path))
    }
}
