import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// LeNet-5 as `zoo export lenet5` writes it, quantized by onnxruntime's own quantizer in QDQ
/// and in QOperator format (Tests/Fixtures/quantized, made once by
/// Tests/interop/make_quantized_fixtures.py): imported with a symbolic batch, run at batch 2
/// and 3 to onnxruntime's outputs stored with them, counted completely (int8 weights counted
/// as parameters), and re-exported at opsets 13 to 28 to files onnxruntime runs to the same.
///
/// Tolerance: one step of the logits' quantization scale (0.0108 in both files; the output is
/// a DequantizeLinear of uint8 logits, so any difference is a whole step). Measured: equal.
@Suite struct QuantizedFixtureTests {
    static let fixtures = ["lenet5_qdq", "lenet5_qoperator"]

    static func directory(_ name: String) -> String {
        Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/quantized/\(name)").path
    }

    static func tensor(_ path: String) throws -> Tensor { try ONNXTensorFile.read(from: path).tensor }

    static let oneStep = Tolerance(rtol: 0, atol: 0.011)

    @Test(arguments: fixtures)
    func runsToOnnxRuntimesOutputsAtTwoBatchSizes(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let quantized = graph.nodes.filter { if case .quantized = $0.op { true } else { false } }
        #expect(quantized.count >= 10, "\(name): \(quantized.count) quantized nodes")
        if name == "lenet5_qoperator" {
            #expect(Set(graph.nodes.map(\.op.onnxName)).isSuperset(of: ["QLinearConv", "QLinearMatMul"]))
        }
        let session = try Session(graph: graph)
        for (dataSet, batch) in [("test_data_set_0", 2), ("test_data_set_1", 3)] {
            let input = try Self.tensor("\(directory)/\(dataSet)/input_0.pb")
            #expect(input.shape[0] == batch)
            let ours = try session.run([graph.inputs[0].name: input])
            let reference = try Self.tensor("\(directory)/\(dataSet)/output_0.pb")
            let mismatch = ours[graph.outputs[0].name]?.mismatch(against: reference, Self.oneStep)
            #expect(ours[graph.outputs[0].name] != nil && mismatch == nil, "\(name) \(dataSet): \(mismatch?.description ?? "missing")")
        }
        let report = try ComplexityReport(counting: graph)
        #expect(report.uncounted.isEmpty)
        // LeNet-5's 61,706 weights and biases (int8 and int32 now), plus the scales and zero
        // points (per output channel for the QDQ file's weights and biases): under 1,000 more.
        #expect(report.total.parameters > 61_706 && report.total.parameters < 62_706, "\(report.total.parameters)")
        #expect(report.total.macs == (try Polynomial(symbol: "batch") * Polynomial(416_520)), "\(report.total.macs)")
    }

    @Test(arguments: fixtures)
    func reexportedFilesRunToTheSameOutputsInOnnxruntime(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let original = try temporaryDirectory()
        _ = try Python.run(script: "ort_run_test_data.py", [directory, original])
        let expected = try Self.tensor("\(original)/output_0.pb")
        for opset in [13, 17, 21, 25] {
            let rewritten = try temporaryDirectory(), again = try temporaryDirectory()
            try ONNXModel(graph: graph, opsetVersion: opset).write(to: rewritten + "/model.onnx")
            try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_0", withDestinationPath: directory + "/test_data_set_0")
            _ = try Python.run(script: "ort_run_test_data.py", [rewritten, again])
            let mismatch = try Self.tensor("\(again)/output_0.pb").mismatch(against: expected, .exact)
            #expect(mismatch == nil, "\(name) re-exported at opset \(opset): \(mismatch?.description ?? "")")
        }
        // onnxruntime 1.32 has no QuantizeLinear of opset 28: the onnx reference evaluator runs that file.
        let newest = try temporaryDirectory()
        try ONNXModel(graph: graph, opsetVersion: 28).write(to: newest + "/model.onnx")
        try NPYFile.write(try Self.tensor("\(directory)/test_data_set_0/input_0.pb"), to: newest + "/image.npy")
        _ = try Python.run(script: "ort_run.py", ["--reference", newest + "/model.onnx", newest, "\(graph.inputs[0].name)=\(newest)/image.npy"])
        let mismatch = try NPYFile.read(from: newest + "/output_0.npy").mismatch(against: expected, Self.oneStep)
        #expect(mismatch == nil, "\(name) re-exported at opset 28 (reference evaluator): \(mismatch?.description ?? "")")
    }
}
