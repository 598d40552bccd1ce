import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// A file of the elementwise family written by the onnx package at several opsets
/// (Tests/interop/make_elementwise_onnx.py: non-default attributes, variadic ops with three
/// inputs, broadcasting, bool and uint8 outputs; Gelu from opset 20, written back as its
/// body below 20) imports, runs like onnxruntime on the file,
/// and exported again at the same opset runs in onnxruntime with the same outputs.
/// Tolerance: the suite's float32 one; bools and integers exactly.
@Suite struct ElementwiseRoundTripTests {
    @Test(arguments: [13, 15, 18, 20, 22])
    func importRunAndExportAgain(opset: Int) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Python.run(script: "make_elementwise_onnx.py", [directory, "\(opset)"])
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let inputs = try ["x", "bits"].reduce(into: [String: Tensor]()) { inputs, name in
            inputs[name] = try NPYFile.read(from: "\(directory)/\(name).npy")
        }
        let expected = try ["y", "bits_out", "inf"].reduce(into: [String: Tensor]()) { outputs, name in
            outputs[name] = try NPYFile.read(from: "\(directory)/expected_\(name).npy")
        }
        let ours = try Session(graph: graph).run(inputs)
        expectClose(ours, expected, "opset \(opset), imported")
        let reexported = try OnnxRuntimeReference.run(graph, inputs, opset: opset)
        expectClose(reexported, expected, "opset \(opset), exported again")
        if opset >= 20 {
            // Below Gelu's opset it is written as its function body.
            let lowered = try OnnxRuntimeReference.run(graph, inputs, opset: 18)
            expectClose(lowered, expected, "opset \(opset), exported at 18")
        }
    }
}
