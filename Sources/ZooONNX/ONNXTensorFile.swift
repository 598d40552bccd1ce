import CONNXProto
import ZooIO
import ZooTensor

/// A single tensor in ONNX's TensorProto encoding: the `input_0.pb` / `output_0.pb` files of
/// ONNX test data sets (the backend conformance suite, the ONNX Model Zoo's golden pairs).
public enum ONNXTensorFile {
    /// Files larger than protobuf's 2 GiB limit are refused before reading.
    public static func read(from path: String) throws(ONNXError) -> (name: String, tensor: Tensor) {
        let bytes: [UInt8]
        do { bytes = try FileReader.readAll(path, limit: ONNXModel.maximumFileSize) } catch { throw .file(error) }
        let parsed = bytes.withUnsafeBufferPointer { onnx__tensor_proto__unpack(nil, $0.count, $0.baseAddress) }
        guard let parsed else {
            throw .malformed(file: path, reason: "not a serialized TensorProto: the protobuf data is truncated or corrupt (\(bytes.count) bytes)")
        }
        defer { onnx__tensor_proto__free_unpacked(parsed, nil) }
        let name = parsed.pointee.name.map { String(cString: $0) } ?? ""
        do {
            return (name, try TensorProtoConversion.tensor(from: parsed.pointee, name: name))
        } catch {
            throw .invalidTensor(file: path, name: name, reason: error.text)
        }
    }

    /// Writes `tensor` as a TensorProto named `name`, atomically.
    public static func write(_ tensor: Tensor, name: String, to path: String) throws(ONNXError) {
        let arena = ProtoArena()
        let proto = arena.message(Onnx__TensorProto.self, onnx__tensor_proto__init)
        TensorProtoConversion.fill(proto, name: name, tensor: tensor, arena: arena)
        let bytes = withExtendedLifetime(tensor) {
            var bytes = [UInt8](repeating: 0, count: onnx__tensor_proto__get_packed_size(proto))
            _ = bytes.withUnsafeMutableBufferPointer { onnx__tensor_proto__pack(proto, $0.baseAddress) }
            return bytes
        }
        do { try AtomicFile.write(bytes, to: path) } catch { throw .file(error) }
    }
}
