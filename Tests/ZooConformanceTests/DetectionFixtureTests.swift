import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooTensor
import ZooTestSupport

/// The detection head of Tests/Fixtures/detection (Conv heads, NonMaxSuppression, Gather of
/// the kept boxes; Tests/interop/make_detection_fixture.py) without running it: the number of
/// kept boxes is a symbol named after the NMS node and flows into the gathered boxes; the
/// count states NonMaxSuppression's work in it; the re-exported file has the same ops.
@Suite struct DetectionFixtureTests {
    static let directory = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/detection/tiny_detector").path

    @Test func keptBoxesAreASymbolThatFlowsToTheDetections() throws {
        let graph = try ONNXModel.read(from: Self.directory + "/model.onnx").graph
        let types = try ShapeInference.run(graph).types
        #expect(types["selected"]?.dims == [.symbolic("nms:0"), 3])
        #expect(types["detections"]?.dims == [.symbolic("nms:0"), 4])
        let report = try ComplexityReport(counting: graph)
        #expect(report.uncounted.isEmpty)
        let nms = try #require(report.nodes.first { $0.name == "nms" })
        #expect(nms.counts.flops.description.contains("nms:0"), "\(nms.counts.flops)")
        let again = try ONNXModel(serialized: try ONNXModel(graph: graph).serialized()).graph
        #expect(again.nodes.map(\.op) == graph.nodes.map(\.op))
    }
}
