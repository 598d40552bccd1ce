import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Import and export are inverse mappings for Resize, Upsample and CenterCropPad: every
/// node-suite case of them, with its operands as constants (node_suite.py's
/// model_first_input_only.onnx: scales, sizes, roi and shape known before running), is
/// written back by our writer at opsets 13 and 19 (Upsample as Resize), checked by
/// onnx.checker (full check) and run in onnxruntime (Tests/interop/ort_run_test_data.py),
/// whose outputs must equal its own outputs for the original file bit for bit. A form an
/// opset lacks (antialias, axes and keep_aspect_ratio_policy before 18, half_pixel_symmetric
/// before 19, CenterCropPad before 18) must be refused naming the node and the opset.
@Suite struct ResampleRoundTripTests {
    static let operators: Set<String> = ["Resize", "Upsample", "CenterCropPad"]

    @Test func reexportedCasesMatchTheOriginalsInOnnxruntime() throws {
        let directory = try NodeSuiteCases.get().directory
        var runs: [(model: String, outputs: String)] = []  // for onnxruntime, all in one process
        var comparisons: [(name: String, opset: Int, outputCount: Int, original: String, rewritten: String)] = []
        var refused = 0
        for (name, _) in try NodeSuiteCases.operators().filter({ Self.operators.contains($0.operator) }) {
            let source = directory + "/" + name
            let original = try temporaryDirectory()
            try FileManager.default.copyItem(atPath: source + "/model_first_input_only.onnx", toPath: original + "/model.onnx")
            try FileManager.default.createSymbolicLink(atPath: original + "/test_data_set_0", withDestinationPath: source + "/test_data_set_0")
            // Three expanded CenterCropPad bodies compute Slice bounds at run time (issue 12).
            guard let model = try? ONNXModel.read(from: original + "/model.onnx"), (try? Session(graph: model.graph)) != nil else { continue }
            let expected = try temporaryDirectory()
            runs.append((original, expected))
            for opset in [13, 19] {
                let rewritten = try temporaryDirectory()
                do {
                    try ONNXModel(graph: model.graph, opsetVersion: opset).write(to: rewritten + "/model.onnx")
                } catch {
                    #expect("\(error)".contains("opset"), "\(name) at opset \(opset): \(error)")
                    refused += 1
                    continue
                }
                try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_0", withDestinationPath: source + "/test_data_set_0")
                let outputs = try temporaryDirectory()
                runs.append((rewritten, outputs))
                comparisons.append((name, opset, model.graph.outputs.count, expected, outputs))
            }
        }
        _ = try Python.run(script: "ort_run_test_data.py", ["--pairs"] + runs.flatMap { [$0.model, $0.outputs] })
        for (name, opset, outputCount, original, rewritten) in comparisons {
            for index in 0..<outputCount {
                let actual = try ONNXTensorFile.read(from: "\(rewritten)/output_\(index).pb").tensor
                let reference = try ONNXTensorFile.read(from: "\(original)/output_\(index).pb").tensor
                let mismatch = actual.mismatch(against: reference, rtol: 0, atol: 0)
                #expect(mismatch == nil, "\(name) re-exported at opset \(opset), output \(index): \(mismatch?.description ?? "")")
            }
        }
        let written = comparisons.count
        // With onnx 1.23.2: 49 cases run, all written at 19; 24 at 13, where those with opset-18
        // attributes or half_pixel_symmetric, and CenterCropPad's, have no form.
        #expect(written >= 73 && refused >= 25, "written \(written), refused \(refused)")
        print("resampling cases re-exported: \(written) written, \(refused) refused for their opset")
    }
}
