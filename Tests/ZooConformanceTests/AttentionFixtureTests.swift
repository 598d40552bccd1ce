import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Two decoder blocks with opset-23 Attention and a key/value cache (Tests/Fixtures/attention,
/// made once by Tests/interop/make_attention_fixtures.py): one from torch's dynamo exporter,
/// one with RotaryEmbedding and Attention's own past/present written with onnx.helper. Each
/// runs, with symbolic sequence and past lengths, at a prompt (3 tokens after 4) and a
/// decoding step (1 after 7) to the fixture's reference outputs and to onnxruntime's (rtol
/// 1e-4, atol 1e-5), is counted completely, and re-exported runs in onnxruntime to the same.
@Suite struct AttentionFixtureTests {
    static let fixtures = ["decoder_dynamo", "decoder_rope"]
    static let dataSets = ["test_data_set_0", "test_data_set_1"]

    static func directory(_ name: String) -> String {
        Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/attention/\(name)").path
    }

    static func tensor(_ path: String) throws -> Tensor { try ONNXTensorFile.read(from: path).tensor }

    @Test(arguments: fixtures)
    func runsToTheReferenceAndOnnxruntimeAtTwoSequenceLengths(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        #expect(graph.nodes.contains { $0.op.onnxName == "Attention" })
        let session = try Session(graph: graph)
        for dataSet in Self.dataSets {
            var inputs: [String: Tensor] = [:]
            for (index, input) in graph.inputs.enumerated() {
                inputs[input.name] = try Self.tensor("\(directory)/\(dataSet)/input_\(index).pb")
            }
            let ours = try session.run(inputs)
            let runtime = try temporaryDirectory()
            _ = try Python.run(script: "ort_run_test_data.py", [directory, runtime, dataSet])
            for (index, output) in graph.outputs.enumerated() {
                for (source, path) in [("reference", "\(directory)/\(dataSet)/output_\(index).pb"), ("onnxruntime", "\(runtime)/output_\(index).pb")] {
                    let mismatch = ours[output.name]?.mismatch(against: try Self.tensor(path), .float32)
                    #expect(ours[output.name] != nil && mismatch == nil, "\(name) \(dataSet) '\(output.name)' vs \(source): \(mismatch?.description ?? "missing")")
                }
            }
        }
        let report = try ComplexityReport(counting: graph)
        #expect(report.uncounted.isEmpty && report.total.macs != .zero)
    }

    @Test(arguments: fixtures)
    func reexportedFileRunsToTheSameOutputsInOnnxruntime(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let rewritten = try temporaryDirectory()
        try ONNXModel(graph: graph, opsetVersion: 23).write(to: rewritten + "/model.onnx")
        try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_0", withDestinationPath: directory + "/test_data_set_0")
        let (original, again) = (try temporaryDirectory(), try temporaryDirectory())
        _ = try Python.run(script: "ort_run_test_data.py", [directory, original])
        _ = try Python.run(script: "ort_run_test_data.py", [rewritten, again])
        for index in graph.outputs.indices {
            let mismatch = try Self.tensor("\(again)/output_\(index).pb").mismatch(against: try Self.tensor("\(original)/output_\(index).pb"), .float32)
            #expect(mismatch == nil, "\(name) output \(index) re-exported: \(mismatch?.description ?? "")")
        }
    }
}
