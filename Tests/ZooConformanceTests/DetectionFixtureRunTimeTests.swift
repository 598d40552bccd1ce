import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Data-dependent ops whose deciding inputs are graph inputs, or computed from them: these
/// run once the planner (branch runtime-shapes) computes the values a kernel needs before
/// planning it (`RuntimeError.runTimeValue`). Until then they fail by design.
/// - The detection head of Tests/Fixtures/detection at both image sizes, to onnxruntime's
///   outputs (kept boxes exactly, their coordinates rtol 1e-4, atol 1e-5).
/// - TopK with k a graph input, and NonZero and Unique of a graph input, against onnxruntime.
@Suite struct DetectionFixtureRunTimeTests {
    static let directory = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/detection/tiny_detector").path

    static func tensor(_ path: String) throws -> Tensor { try ONNXTensorFile.read(from: path).tensor }

    @Test(arguments: ["test_data_set_0", "test_data_set_1"])
    func detectionHeadRunsToOnnxRuntimesOutputs(_ dataSet: String) throws {
        let graph = try ONNXModel.read(from: Self.directory + "/model.onnx").graph
        let outputs = try Session(graph: graph).run(["image": try Self.tensor("\(Self.directory)/\(dataSet)/input_0.pb")])
        for (index, name, tolerance) in [(0, "selected", Tolerance.exact), (1, "detections", .float32)] {
            let reference = try Self.tensor("\(Self.directory)/\(dataSet)/output_\(index).pb")
            let mismatch = outputs[name]?.mismatch(against: reference, tolerance)
            #expect(outputs[name] != nil && mismatch == nil, "\(dataSet) '\(name)': \(mismatch?.description ?? "missing")")
        }
    }

    static func singleNode(_ op: Op, _ inputs: [(String, Tensor)], outputCount: Int) throws -> Graph {
        var builder = GraphBuilder(name: op.onnxName)
        var values: [GraphBuilder.Value] = []
        for (name, tensor) in inputs { values.append(try builder.input(name, TensorType(tensor.dtype, tensor.shape.map(Dim.fixed)))) }
        for output in try builder.add(op, values, name: "node", outputCount: outputCount) { try builder.output(output) }
        return try builder.build()
    }

    @Test func topKWithKAGraphInput() throws {
        let inputs = [("x", try Tensor(shape: [2, 6], scalars: (0..<12).map { Float(($0 * 5) % 7) })), ("k", try Tensor(shape: [1], scalars: [Int64(4)]))]
        let graph = try Self.singleNode(.topK(TopKAttributes(axis: 1, largest: true, sorted: true)), inputs, outputCount: 2)
        try Self.expectMatchesOnnxRuntime(graph, Dictionary(uniqueKeysWithValues: inputs))
    }

    @Test func nonZeroAndUniqueOfAGraphInput() throws {
        let x = try Tensor(shape: [3, 4], scalars: (0..<12).map { Float(($0 * 3) % 5) - 2 })
        for (op, outputCount) in [(Op.selection(.nonZero), 1), (.selection(.unique(UniqueAttributes(sorted: false, axis: nil))), 4)] {
            try Self.expectMatchesOnnxRuntime(try Self.singleNode(op, [("x", x)], outputCount: outputCount), ["x": x])
        }
    }

    static func expectMatchesOnnxRuntime(_ graph: Graph, _ inputs: [String: Tensor]) throws {
        let ours = try Session(graph: graph).run(inputs)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ONNXModel(graph: graph).write(to: directory + "/model.onnx")
        var arguments = [directory + "/model.onnx", directory]
        for (index, (name, tensor)) in inputs.sorted(by: { $0.key < $1.key }).enumerated() {
            try NPYFile.write(tensor, to: directory + "/input_\(index).npy")
            arguments.append("\(name)=\(directory)/input_\(index).npy")
        }
        let names = try Python.json([String].self, script: "ort_run.py", arguments)
        for (index, name) in names.enumerated() {
            let reference = try NPYFile.read(from: directory + "/output_\(index).npy")
            let mismatch = ours[name]?.mismatch(against: reference, .exact)
            #expect(ours[name] != nil && mismatch == nil, "\(graph.name) '\(name)': \(mismatch?.description ?? "missing")")
        }
    }
}
