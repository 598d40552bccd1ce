import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Split in each opset's form (sizes as an attribute before 13, as an input from 13, an
/// uneven num_outputs split from 18; Tests/interop/make_movement_legacy_onnx.py): the
/// imported graph runs to onnxruntime's outputs on the original file, exactly.
@Suite struct MovementLegacyImportTests {
    @Test(arguments: [11, 13, 18])
    func splitFormsImportWithTheirMeaning(opset: Int) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/split.onnx"
        _ = try Python.run(script: "make_movement_legacy_onnx.py", [path, "\(opset)"])
        let graph = try ONNXModel.read(from: path).graph
        let input = try random([2, 7], seed: UInt64(opset))
        let ours = try Session(graph: graph).run(["x": input])
        try NPYFile.write(input, to: directory + "/x.npy")
        let names = try Python.json([String].self, script: "ort_run.py", [path, directory, "x=\(directory)/x.npy"])
        #expect(names == ["a", "c", "d", "e"])
        for (index, name) in names.enumerated() {
            let reference = try NPYFile.read(from: directory + "/output_\(index).npy")
            let mismatch = ours[name]?.mismatch(against: reference, .exact)
            #expect(ours[name] != nil && mismatch == nil, "opset \(opset) '\(name)': \(mismatch?.description ?? "missing")")
        }
    }
}
