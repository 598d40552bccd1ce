import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Import and export are inverse mappings for the data movement and indexing ops: every
/// ONNX node-suite case of those ops that we run is written back by our writer (at the
/// case's opset, 13 at least), checked by onnx.checker (full check) and run in onnxruntime
/// (Tests/interop/ort_run_test_data.py), whose outputs must equal the suite's expected ones
/// (dtype and shape, elements within the suite's rtol 1e-3, atol 1e-7).
@Suite struct MovementRoundTripTests {
    static let operators = ["Pad", "Split", "Tile", "DepthToSpace", "SpaceToDepth", "GatherElements", "ScatterElements",
                            "ScatterND", "OneHot", "Trilu", "EyeLike", "ReverseSequence", "Size"]

    @Test func reexportedNodeTestsMatchTheirExpectedOutputsInOnnxruntime() throws {
        let directory = try NodeSuiteCases.get().directory
        var checked = 0
        for (name, _) in try NodeSuiteCases.operators().filter({ Self.operators.contains($0.operator) }) {
            let source = directory + "/" + name
            // Cases we refuse (run-time sizes) are the node-suite table's business.
            guard let model = try? ONNXModel.read(from: source + "/model.onnx"), (try? Session(graph: model.graph)) != nil else {
                continue
            }
            // onnxruntime's Python binding takes no bfloat16 arrays as inputs.
            guard !model.graph.inputs.contains(where: { $0.type.dtype == .bfloat16 }) else { continue }
            let rewritten = try temporaryDirectory()
            let opset = min(max(model.opsetVersion, ONNXModel.supportedOpsets.lowerBound), ONNXModel.supportedOpsets.upperBound)
            try ONNXModel(graph: model.graph, opsetVersion: opset).write(to: rewritten + "/model.onnx")
            try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_0",
                                                       withDestinationPath: source + "/test_data_set_0")
            let outputs = try temporaryDirectory()
            _ = try Python.run(script: "ort_run_test_data.py", [rewritten, outputs])
            for index in model.graph.outputs.indices {
                let actual = try ONNXTensorFile.read(from: "\(outputs)/output_\(index).pb").tensor
                let expected = try ONNXTensorFile.read(from: "\(source)/test_data_set_0/output_\(index).pb").tensor
                let mismatch = actual.mismatch(against: expected, rtol: 1e-3, atol: 1e-7)
                #expect(mismatch == nil, "\(name) re-exported at opset \(opset), output \(index): \(mismatch?.description ?? "")")
            }
            checked += 1
        }
        // 56 with onnx 1.23.2: the cases we run, less those with bfloat16 inputs.
        #expect(checked >= 56)
    }
}
