import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Models with If and Loop (Tests/Fixtures/control_flow, made once by
/// Tests/interop/make_control_flow_fixtures.py with onnx's helpers and PyTorch's TorchScript
/// exporter, outputs from onnxruntime): an If whose branches read outer values and nest an If,
/// a Loop stacking per-iteration outputs, a Loop its condition stops early, a Loop inside an
/// If, and a scripted module's loop over the batch and data-dependent if. Each runs at two
/// input sizes (which take different branches) to onnxruntime's outputs (rtol 1e-5, atol
/// 1e-6), is counted by the control-flow rules, and re-exported to a file onnxruntime runs
/// to the same outputs.
@Suite struct ControlFlowFixtureTests {
    static let fixtures = ["if_nested", "loop_scan_outputs", "loop_early_exit", "loop_in_if", "torch_scripted"]

    static func directory(_ name: String) -> String {
        Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/control_flow/\(name)").path
    }

    static func tensor(_ path: String) throws -> Tensor { try ONNXTensorFile.read(from: path).tensor }

    @Test(arguments: fixtures)
    func runsToOnnxruntimesOutputsAtTwoSizes(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let session = try Session(graph: graph)
        for dataSet in ["test_data_set_0", "test_data_set_1"] {
            let input = try Self.tensor("\(directory)/\(dataSet)/input_0.pb")
            let ours = try session.run([graph.inputs[0].name: input])
            for (index, output) in graph.outputs.enumerated() {
                let reference = try Self.tensor("\(directory)/\(dataSet)/output_\(index).pb")
                let mismatch = ours[output.name]?.mismatch(against: reference, rtol: 1e-5, atol: 1e-6)
                #expect(ours[output.name] != nil && mismatch == nil,
                        "\(name) \(dataSet) '\(output.name)': \(mismatch?.description ?? "missing")")
            }
        }
    }

    @Test(arguments: fixtures)
    func reexportedFileRunsToTheSameOutputsInOnnxruntime(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let rewritten = try temporaryDirectory()
        try ONNXModel(graph: graph, opsetVersion: 17).write(to: rewritten + "/model.onnx")
        // The subgraphs went back with their outer-scope references.
        let again = try ONNXModel.read(from: rewritten + "/model.onnx").graph
        #expect(again.nodes.map(\.implicitInputs) == graph.nodes.map(\.implicitInputs))
        try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_1", withDestinationPath: directory + "/test_data_set_1")
        let results = try temporaryDirectory()
        _ = try Python.run(script: "ort_run_test_data.py", [rewritten, results, "test_data_set_1"])
        for index in graph.outputs.indices {
            let mismatch = try Self.tensor("\(results)/output_\(index).pb")
                .mismatch(against: try Self.tensor("\(directory)/test_data_set_1/output_\(index).pb"), rtol: 1e-5, atol: 1e-6)
            #expect(mismatch == nil, "\(name) output \(index) re-exported: \(mismatch?.description ?? "")")
        }
    }

    static func nodeCount(_ name: String, op: String) throws -> NodeCount? {
        let graph = try ONNXModel.read(from: directory(name) + "/model.onnx").graph
        let report = try ComplexityReport(counting: graph)
        #expect(report.uncounted.isEmpty)
        return report.nodes.first { $0.op == op }
    }

    /// The then-branch (x·w, the nested If's 4·batch, the sum: 12·batch FLOPs) outweighs
    /// the else-branch's x − w (4·batch): the If counts the then-branch.
    @Test func ifCountsItsHeavierBranch() throws {
        let flops = try Self.nodeCount("if_nested", op: "If")?.counts.flops
        #expect(flops?.terms[Monomial(["batch"])] == 12, "\(flops?.description ?? "no If")")
    }

    /// M = 4 iterations of x·i + s over [batch, 4]: 4 · 8·batch FLOPs.
    @Test func loopCountsItsBodyTimesAConstantTripCount() throws {
        #expect(try Self.nodeCount("loop_scan_outputs", op: "Loop")?.counts.flops == Polynomial(32, Monomial(["batch"])))
    }

    /// The scripted loop runs batch times, which the count leaves as a symbol per iteration:
    /// x[i] · i + s over [batch, 4] is 8·batch FLOPs an iteration.
    @Test func loopWithoutAConstantTripCountIsCountedPerIteration() throws {
        let flops = try Self.nodeCount("torch_scripted", op: "Loop")?.counts.flops
        #expect(flops?.symbols.contains { $0.hasPrefix("iterations(") } == true, "\(flops?.description ?? "no Loop")")
    }
}
