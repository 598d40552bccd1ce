import ArgumentParser
import Foundation
import ModelZoo

/// `zoo export ID -o FILE.onnx`: a zoo model as an ONNX file that any ONNX runtime reads.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a zoo model to ONNX (opset 17, batch and sequence length symbolic).",
        discussion: """
            Weights are the zoo's pretrained ones with --pretrained, else seeded random values \
            (deterministic for a given --seed); the file records which in its metadata (zoo.weights), with \
            a checksum of all parameters (zoo.weights_sha256, see WeightsDigest).
            """)

    @OptionGroup var selection: ModelSelection

    @Option(name: [.short, .long], help: "The ONNX file to write (written atomically).")
    var output: String

    @Option(name: .long, help: """
        The ONNX opset to write (\(ONNXModel.supportedOpsets.lowerBound) to \(ONNXModel.supportedOpsets.upperBound)); \
        ops an opset lacks are written as ops it has (e.g. LayerNormalization before 17).
        """)
    var opset = ONNXModel.defaultOpset

    @Option(name: .long, help: "Seed of the random weights.")
    var seed: UInt64 = 0

    func validate() throws {
        if selection.isFile { throw ValidationError("export takes a zoo model id; '\(selection.model)' is a file") }
    }

    func run() throws {
        let (entry, graph) = try selection.entryAndGraph(initialization: .seeded(seed))
        let weights = selection.weights.map { "file:\(URL(fileURLWithPath: $0).lastPathComponent)" }
            ?? (selection.pretrained ? "pretrained" : "seeded-random:\(seed)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configuration = String(decoding: try encoder.encode(entry.architecture), as: UTF8.self)
        let model = ONNXModel(
            graph: graph, opsetVersion: opset, docString: entry.summary,
            metadata: [("zoo.id", entry.id), ("zoo.config", configuration), ("zoo.weights", weights),
                       ("zoo.weights_sha256", try WeightsDigest.of(graph.initializers))])
        try model.write(to: output)
        let parameterCount = graph.initializers.reduce(0) { $0 + $1.tensor.elementCount }
        print("wrote \(output): \(entry.id), \(graph.nodes.count) nodes, \(parameterCount) parameter values, opset \(opset)")
    }
}
