import ArgumentParser
import ModelZoo

/// `zoo import FILE.onnx`: reads an ONNX model (from PyTorch, Hugging Face, any exporter),
/// reports what it holds, and optionally saves its weights in the zoo's HDF5 format.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import an ONNX file: check every node, summarise it, optionally save its weights as HDF5.",
        discussion: "Every unsupported node is listed at once. Imported graphs can be run, counted and exported.")

    @Argument(help: "The ONNX model file.")
    var file: String

    @Option(name: [.short, .long], help: "Save the model's parameters to this HDF5 weights file.")
    var output: String?

    func run() throws {
        let bar = ProgressBar("reading \(file)")
        let model = try ONNXModel.read(from: file, progress: bar.update)
        let graph = model.graph
        let report = try ComplexityReport(counting: graph, options: CountOptions())
        let weights = graph.initializers.filter { $0.tensor.dtype.isFloatingPoint }
        let constantNodes = report.nodes.filter(\.computesConstant).count
        let opCounts = Dictionary(grouping: graph.nodes, by: \.op.onnxName).mapValues(\.count).sorted { $0.key < $1.key }
        print("""
            \(file): ONNX IR \(model.irVersion), opset \(model.opsetVersion), from \(model.producerName) \(model.producerVersion)
            nodes:      \(graph.nodes.count) (\(opCounts.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")))
            parameters: \(HumanReadable.count(report.total.parameters)) in \(weights.count) tensors (\(HumanReadable.bytes(weights.reduce(0) { $0 + $1.tensor.byteCount })))
            inputs:     \(graph.inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", "))
            outputs:    \(graph.outputs.map { "\($0.name): \($0.type)" }.joined(separator: ", "))
            folded:     \(constantNodes) nodes compute constants from weights and constants alone (shape chains, transposed weights); the executor folds them once
            """)
        guard let output else { return }
        let metadata = WeightsMetadata(architecture: "onnx:\(graph.name)")
        try WeightsFile.save(graph, metadata: metadata, to: output)
        print("wrote \(output): \(weights.count) parameter tensors")
    }
}
