import ArgumentParser
import ModelZoo

/// `zoo inspect FILE.onnx`: reads an ONNX file, validates it, and prints its graph.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read an ONNX file, validate it, infer every shape and list the graph.")

    @Argument(help: "The ONNX model file.")
    var file: String

    @Flag(name: .long, help: "Print only the summary, not every node.")
    var summary = false

    func run() throws {
        let model = try ONNXModel.read(from: file)
        let graph = model.graph
        let parameterCount = graph.initializers.filter { $0.tensor.dtype.isFloatingPoint }.reduce(0) { $0 + $1.tensor.elementCount }
        let opCounts = Dictionary(grouping: graph.nodes, by: \.op.onnxName).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
        print("""
            \(file): ONNX IR \(model.irVersion), opset \(model.opsetVersion), produced by \(model.producerName) \(model.producerVersion)
            graph '\(graph.name)': \(graph.nodes.count) nodes, \(graph.initializers.count) initializers (\(parameterCount) floating-point values)
            inputs:  \(graph.inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", "))
            outputs: \(graph.outputs.map { "\($0.name): \($0.type)" }.joined(separator: ", "))
            ops:     \(opCounts.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
            """)
        for entry in model.metadata { print("metadata \(entry.key): \(entry.value)") }
        if !summary { print(graph.textDump) }
    }
}
