import ZooGraph
import ZooIO
import ZooTensor

/// A graph as an ONNX model file: the graph plus the model-level fields ONNX carries.
public struct ONNXModel: Sendable, Equatable {
    /// The opset we write, and the newest whose semantics the IR follows.
    public static let defaultOpset = 17
    /// IR version 8 is the one that goes with opset 17.
    public static let defaultIRVersion = 8
    /// Files larger than this are refused before reading (protobuf's own 2 GiB limit; larger
    /// models keep their tensors in external data files).
    public static let maximumFileSize = Int(Int32.max)

    public var graph: Graph
    public var opsetVersion: Int
    public var irVersion: Int
    public var producerName: String
    public var producerVersion: String
    public var docString: String
    /// `metadata_props`, in order.
    public var metadata: [(key: String, value: String)]

    public init(graph: Graph, opsetVersion: Int = defaultOpset, irVersion: Int = defaultIRVersion,
                producerName: String = "ModelZoo", producerVersion: String = ModelZooVersion.string,
                docString: String = "", metadata: [(key: String, value: String)] = []) {
        self.graph = graph
        self.opsetVersion = opsetVersion
        self.irVersion = irVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.docString = docString
        self.metadata = metadata
    }

    public static func == (lhs: ONNXModel, rhs: ONNXModel) -> Bool {
        lhs.graph == rhs.graph && lhs.opsetVersion == rhs.opsetVersion && lhs.irVersion == rhs.irVersion
            && lhs.producerName == rhs.producerName && lhs.producerVersion == rhs.producerVersion
            && lhs.docString == rhs.docString
            && lhs.metadata.map(\.key) == rhs.metadata.map(\.key) && lhs.metadata.map(\.value) == rhs.metadata.map(\.value)
    }

    /// The model as protobuf bytes.
    public func serialized() throws(ONNXError) -> [UInt8] {
        try ModelWriter(model: self).serialize()
    }

    /// Parses protobuf bytes; `file` names the source in error messages.
    public init(serialized bytes: [UInt8], file: String = "<memory>") throws(ONNXError) {
        self = try ModelReader(file: file).read(bytes)
    }

    public static func read(from path: String) throws(ONNXError) -> ONNXModel {
        let bytes: [UInt8]
        do { bytes = try FileReader.readAll(path, limit: maximumFileSize) } catch { throw .file(error) }
        return try ONNXModel(serialized: bytes, file: path)
    }

    /// Writes the model atomically: a failure leaves any existing file untouched.
    public func write(to path: String) throws(ONNXError) {
        let bytes = try serialized()
        do { try AtomicFile.write(bytes, to: path) } catch { throw .file(error) }
    }
}
