import Foundation
import Testing
import ZooModels
@testable import ZooPretrained
import ZooRuntime
import ZooTensor
import ZooTestSupport
import ZooWeights

/// `Zoo.load(_:weights:)`, the library form of `--weights`.
@Suite struct WeightsFileLoadingTests {
    @Test func lstmLanguageModelFromAPyTorchCheckpoint() throws {
        let fixtures = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/checkpoints")
        let graph = try Zoo.load("lstm-lm", weights: fixtures.appendingPathComponent("lstm_lm.pth"))
        let ids = try NPYFile.read(from: fixtures.appendingPathComponent("lstm_lm_input_ids.npy").path)
        let expected = try NPYFile.read(from: fixtures.appendingPathComponent("lstm_lm_logits.npy").path)
        let logits = try #require(try Session(graph: graph).run(["input_ids": ids])["logits"])
        #expect(logits.mismatch(against: expected, .wholeModel(expected, rtol: 1e-4, atol: 1e-5, fraction: 1e-4)) == nil)
    }

    /// The first bert-base-uncased pytorch_model.bin (converted from TensorFlow) calls
    /// LayerNorm's parameters gamma and beta; they map onto the same graph.
    @Test func bertLayerNormGammaAndBetaAreWeightAndBias() throws {
        let file = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/checkpoints/bert_pytorch_model.bin").path
        let current = try ModelWithWeights(file, model: try Zoo.model("bert-tiny"))
        var old = try WeightsConversion.readTensors(file)
        for name in old.tensors.keys where name.contains("LayerNorm.") {
            let renamed = name.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma")
                .replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
            old.tensors[renamed] = old.tensors.removeValue(forKey: name)
        }
        #expect(old.tensors["bert.embeddings.LayerNorm.gamma"] != nil)
        let mapped = try WeightsConversion.readTensors(old, for: current.entry.architecture, graph: current.graph)
        // Embeddings, 2 per layer, and the pre-training head's transform (set aside afterwards).
        #expect(mapped.notes.contains("12 LayerNorm gamma/beta names read as weight/bias"))
        #expect(try ParameterMatching.assign(mapped.tensors, to: current.graph, file: file) == current.graph)
    }
}
