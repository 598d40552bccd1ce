import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Upsample and Resize in the forms of old opsets (Tests/interop/make_resample_legacy_onnx.py:
/// Upsample 7's scales attribute and 9's scales input, Resize 10's two inputs, Resize 11's
/// roi input and tf_half_pixel_for_nn) import as opset 19's Resize and run to onnxruntime's
/// outputs on the original file: nearest exactly, linear and cubic within float32 rounding
/// (rtol 1e-4, atol 1e-5). Written again at opset 13, they are Resize nodes onnxruntime runs
/// to the same outputs, except tf_half_pixel_for_nn, which opset 13 dropped.
@Suite struct ResampleLegacyImportTests {
    @Test(arguments: [7, 9, 10, 11])
    func oldFormsImportWithTheirMeaning(opset: Int) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/resample.onnx"
        _ = try Python.run(script: "make_resample_legacy_onnx.py", [path, "\(opset)"])
        let graph = try ONNXModel.read(from: path).graph
        #expect(graph.nodes.filter { $0.op.onnxName == "Resize" }.count == 2)
        let input = try random([1, 2, 3, 4], seed: UInt64(opset))
        let ours = try Session(graph: graph).run(["x": input])
        try NPYFile.write(input, to: directory + "/x.npy")
        let names = try Python.json([String].self, script: "ort_run.py", [path, directory, "x=\(directory)/x.npy"])
        #expect(names == ["a", "b"])
        for (index, name) in names.enumerated() {
            let reference = try NPYFile.read(from: directory + "/output_\(index).npy")
            let mismatch = ours[name]?.mismatch(against: reference, name == "a" ? .exact : .float32)
            #expect(ours[name] != nil && mismatch == nil, "opset \(opset) '\(name)': \(mismatch?.description ?? "missing")")
        }
        let rewritten = directory + "/rewritten.onnx"
        guard opset != 11 else {
            #expect(throws: ONNXError.self) { try ONNXModel(graph: graph, opsetVersion: 13).write(to: rewritten) }
            return
        }
        try ONNXModel(graph: graph, opsetVersion: 13).write(to: rewritten)
        let again = try Python.json([String].self, script: "ort_run.py", [rewritten, directory, "x=\(directory)/x.npy"])
        for (index, name) in again.enumerated() {
            let reference = try NPYFile.read(from: directory + "/output_\(index).npy")
            let mismatch = ours[name]?.mismatch(against: reference, name == "a" ? .exact : .float32)
            #expect(mismatch == nil, "opset \(opset) '\(name)' written at 13: \(mismatch?.description ?? "")")
        }
    }
}
