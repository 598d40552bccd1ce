import Foundation
import Testing
import ZooBlocks
import ZooGraph
import ZooModels
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Every architecture, exported at the opsets where what we write changes: onnx.checker (full check) accepts
/// each file, onnxruntime's outputs on it match our executor's on the zoo graph (same dtype
/// and shape; integers exactly, floats per element |ours - theirs| ≤ 1e-4 + 1e-4·|theirs| + 1e-5·max|theirs|, see
/// Tests/interop/export_sweep.py), and our importer reads it back as the graph written at that
/// opset. One small configuration per architecture file of Sources/ZooModels, and only the
/// opsets in `opsets`, keep this within CI's budget (every opset took 6 minutes here);
/// scripts/check_exports.sh sweeps every zoo id at every opset.
@Suite struct ZooOpsetExportTests {
    static let architectures = ["lenet5", "alexnet", "vgg11", "nin", "googlenet", "resnet18", "lstm-lm", "elmo", "bert-tiny"]

    /// The first opset we write, each at which an op we write changes form (14 LSTM's
    /// layout, 15 Shape's start/end, 17 LayerNormalization, 18 Reduce axes as inputs, 19
    /// AveragePool's dilations) with the one before it, and the newest. Between them the
    /// forms are the same: OpsetFormsTests checks our table against onnx's schemas at every
    /// opset.
    static let opsets = [13, 14, 15, 16, 17, 18, 19, ONNXModel.supportedOpsets.upperBound]

    /// The registered model at a small resolution, or a reduced configuration of it.
    static func smallEntry(_ id: String) throws -> ModelEntry {
        switch id {
        case "lstm-lm":
            return ModelEntry(id, LSTMLanguageModel(vocabularySize: 50, embeddingSize: 16, hiddenSize: 16), "small LSTM LM")
        case "elmo":
            let filters = [CharacterCNN.Filter(width: 1, count: 4), CharacterCNN.Filter(width: 3, count: 8)]
            return ModelEntry(id, ELMo(filters: filters, highwayCount: 1, projectionSize: 8, cellSize: 16), "small ELMo")
        default:
            return ZooExportTests.smallVariant(of: try Zoo.model(id))
        }
    }

    @Test(arguments: architectures)
    func everyOpsetPassesTheReferenceTools(id: String) throws {
        let graph = try Self.smallEntry(id).graph(initialization: .seeded(5))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/ours", withIntermediateDirectories: true)

        let inputs = try SampleInputs.make(for: graph, symbolValues: ["batch": 2, "seq": 6], seed: 9)
        var arguments = ["check", directory + "/ours"]
        for (name, tensor) in inputs.sorted(by: { $0.key < $1.key }) {
            try NPYFile.write(tensor, to: "\(directory)/\(name).npy")
            arguments.append("\(name)=\(directory)/\(name).npy")
        }
        let outputs = try Session(graph: graph, options: SessionOptions(threads: 2)).run(inputs)
        for output in graph.outputs {
            try NPYFile.write(try #require(outputs[output.name]), to: "\(directory)/ours/\(output.name).npy")
        }

        for opset in Self.opsets {
            let model = ONNXModel(graph: graph, opsetVersion: opset)
            let path = "\(directory)/\(id).opset\(opset).onnx"
            try model.write(to: path)
            let written = try model.writtenGraph()
            #expect(try ONNXModel.read(from: path).graph == written, "opset \(opset): the file reads back as another graph")
            if opset >= ONNXModel.defaultOpset {
                #expect(written == graph, "opset \(opset) needs no rewrite, yet the written graph differs")
            }
            arguments.append(path)
        }
        // Fails listing every file onnx.checker refuses or whose outputs differ.
        _ = try Python.run(script: "export_sweep.py", arguments)
    }
}
