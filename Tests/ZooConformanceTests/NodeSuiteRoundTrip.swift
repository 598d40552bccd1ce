import Foundation
import Testing
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Import then export, checked by the real peer: every node-suite case of `operators` that we
/// run is written back by our writer (at the case's opset, 13 at least), checked by
/// onnx.checker (full check) and run in onnxruntime (Tests/interop/ort_run_test_data.py),
/// whose outputs must equal the suite's expected ones (dtype and shape, elements within rtol
/// 1e-3 and `atol` + `atolOfLargest`·max|expected|). Cases with bfloat16 inputs (onnxruntime's Python binding takes none)
/// and those in `skipped` are left out. Returns how many cases were checked.
enum NodeSuiteRoundTrip {
    static func check(operators: Set<String>, atol: Double = 1e-7, atolOfLargest: Double = 0, skipped: Set<String> = [],
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let directory = try NodeSuiteCases.get().directory
        var checked = 0
        for (name, _) in try NodeSuiteCases.operators().filter({ operators.contains($0.operator) && !skipped.contains($0.name) }) {
            let source = directory + "/" + name
            // Cases we refuse (run-time sizes) are the node-suite table's business.
            guard let model = try? ONNXModel.read(from: source + "/model.onnx"), (try? Session(graph: model.graph)) != nil else {
                continue
            }
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
                let largest = atolOfLargest == 0 ? 0 : expected.doubleValues.map(abs).max() ?? 0
                let mismatch = actual.mismatch(against: expected, rtol: 1e-3, atol: atol + atolOfLargest * largest)
                #expect(mismatch == nil, "\(name) re-exported at opset \(opset), output \(index): \(mismatch?.description ?? "")",
                        sourceLocation: sourceLocation)
            }
            checked += 1
        }
        return checked
    }
}
