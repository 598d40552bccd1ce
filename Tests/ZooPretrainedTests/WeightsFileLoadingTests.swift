import Foundation
import Testing
import ZooModels
import ZooPretrained
import ZooRuntime
import ZooTensor
import ZooTestSupport

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
}
