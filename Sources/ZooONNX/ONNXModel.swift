import Foundation
import ZooGraph
import ZooIO
import ZooTensor

/// A graph as an ONNX model file: the graph plus the model-level fields ONNX carries.
public struct ONNXModel: Sendable, Equatable {
    /// The opset we write, and the newest whose semantics the IR follows.
    public static let defaultOpset = 17
    /// The opsets we write. Before 17 the ops a target lacks are rewritten (`OpsetLowering`);
    /// from 18 Reduce axes become inputs (`Op.onnxForm`); no later opset changes the form of
    /// an op the IR has (OperatorFormsTests compares with onnx's schemas up to 28, the
    /// newest onnx 1.23 and onnxruntime 1.32 know). Before 13, Softmax, Squeeze/Unsqueeze and
    /// others take forms we do not write.
    public static let supportedOpsets = 13...28
    /// IR version 8 is the one that goes with opset 17; files of later opsets keep it, as
    /// they use no newer IR feature (onnx.checker and onnxruntime accept the pair).
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

    /// The graph as it is written at `opsetVersion`: ops whose opset-17 form that opset lacks
    /// are rewritten into ops it has; a form no rewrite covers is refused, naming the node.
    public func writtenGraph() throws(ONNXError) -> Graph {
        guard Self.supportedOpsets.contains(opsetVersion) else {
            throw .exportFailed(reason: "opset \(opsetVersion) is not supported; choose "
                + "\(Self.supportedOpsets.lowerBound) to \(Self.supportedOpsets.upperBound)")
        }
        let written = try OpsetLowering(opset: opsetVersion).lower(graph)
        try Self.checkForms(of: written, opset: opsetVersion)
        return written
    }

    private static func checkForms(of graph: Graph, opset: Int) throws(ONNXError) {
        for node in graph.nodes {
            let form: ONNXNodeForm
            do { form = try node.op.onnxForm(opset: opset) } catch {
                throw .exportFailed(reason: "node '\(node.name)' (\(node.op.onnxName)): \(error)")
            }
            let inputCount = node.inputs.count - node.inputs.reversed().prefix(while: \.isEmpty).count + form.operandInputs.count
            if let mismatch = OperatorForms.mismatch(opType: node.op.onnxName, opset: opset,
                                                     attributes: form.attributes.map(\.0), inputCount: inputCount) {
                throw .exportFailed(reason: "node '\(node.name)' (\(node.op.onnxName)) has no form at opset \(opset): "
                    + "\(mismatch)")
            }
            if let problem = node.op.convNormFormProblem(opset: opset) {
                throw .exportFailed(reason: "node '\(node.name)' (\(node.op.onnxName)) has no form at opset \(opset): \(problem)")
            }
            for subgraph in node.op.subgraphs { try checkForms(of: subgraph, opset: opset) }
            // Regions: RoiAlign's half_pixel needs opset 16
            if case .region(let op) = node.op, let problem = op.formProblem(opset: opset) {
                throw .exportFailed(reason: "node '\(node.name)' (\(node.op.onnxName)) has no form at opset \(opset): \(problem)")
            }
        }
    }

    /// The model as protobuf bytes.
    public func serialized() throws(ONNXError) -> [UInt8] {
        try ModelWriter(model: self).serialize()
    }

    /// Parses protobuf bytes; `file` names the source in error messages.
    public init(serialized bytes: [UInt8], file: String = "<memory>") throws(ONNXError) {
        self = try ModelReader(file: file).read(bytes)
    }

    /// Reads a model file; `progress` gets (bytes read, total) while the file is read.
    public static func read(from path: String, progress: ((Int, Int) -> Void)? = nil) throws(ONNXError) -> ONNXModel {
        let bytes: [UInt8]
        do { bytes = try FileReader.readAll(path, limit: maximumFileSize, progress: progress) } catch { throw .file(error) }
        return try ModelReader(file: path, modelPath: path).read(bytes)
    }

    /// Where initializers are stored when writing a file.
    public enum WeightStorage: Sendable {
        /// Inline, unless they exceed protobuf's 2 GiB limit; then as `.externalFile`.
        case automatic
        case inline
        /// In `<model file name>.data` next to the model, at 4 KiB-aligned offsets
        /// (initializers under 1 KiB stay inline).
        case externalFile
    }

    /// Initializer bytes above which `.automatic` storage moves weights to a side file: the
    /// protobuf limit less room for the graph itself.
    public static let inlineWeightLimit = Int(Int32.max) - (64 << 20)

    /// Writes the model atomically: a failure leaves any existing file untouched. With an
    /// external data file, the data file is written (atomically) before the model.
    public func write(to path: String, weights: WeightStorage = .automatic) throws(ONNXError) {
        let weightBytes = graph.initializers.reduce(0) { $0 + $1.tensor.byteCount }
        let external = weights == .externalFile || (weights == .automatic && weightBytes > Self.inlineWeightLimit)
        let bytes: [UInt8]
        if external {
            let fileName = URL(fileURLWithPath: path).lastPathComponent + ".data"
            let plan = ExternalDataPlan(graph: graph, fileName: fileName)
            bytes = try ModelWriter(model: self, externalData: plan).serialize()
            let dataPath = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(fileName).path
            do { try plan.writeData(of: graph, to: dataPath) } catch { throw .file(error) }
        } else {
            bytes = try serialized()
        }
        do { try AtomicFile.write(bytes, to: path) } catch { throw .file(error) }
    }
}
