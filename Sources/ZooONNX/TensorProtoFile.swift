import CONNXProto
import ZooIO
import ZooTensor

/// A serialized TensorProto on its own, as ONNX test data sets store inputs and expected
/// outputs (`test_data_set_0/input_0.pb`, `output_0.pb`).
public enum TensorProtoFile {
    /// The tensor's name (empty when the file gives none) and value. The data must be in
    /// the file itself: a tensor pointing at external data is refused.
    public static func read(from path: String) throws(ONNXError) -> (name: String, tensor: Tensor) {
        let bytes: [UInt8]
        do { bytes = try FileReader.readAll(path, limit: ONNXModel.maximumFileSize) } catch { throw .file(error) }
        let parsed = bytes.withUnsafeBufferPointer { onnx__tensor_proto__unpack(nil, $0.count, $0.baseAddress) }
        guard let parsed else {
            throw .malformed(file: path, reason: "not a serialized TensorProto: the protobuf data is truncated or corrupt (\(bytes.count) bytes)")
        }
        defer { onnx__tensor_proto__free_unpacked(parsed, nil) }
        let name = ModelReader.string(parsed.pointee.name)
        do { return (name, try TensorProtoConversion.tensor(from: parsed.pointee, name: name)) } catch {
            throw .invalidTensor(file: path, name: name, reason: error.text)
        }
    }
}
