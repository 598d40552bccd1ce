import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// A tiny U-Net whose decoder resamples as segmentation and detection networks do
/// (bilinear 2x, nearest 2x, bicubic to a size with align_corners, bilinear downsampling,
/// antialiased in the dynamo export), exported by both of PyTorch's exporters
/// (Tests/Fixtures/resample, made once by Tests/interop/make_resample_fixtures.py): imported
/// with a symbolic batch, run at batch 2 and 1 to PyTorch's own outputs (rtol 1e-4, atol
/// 1e-5), counted completely, and re-exported to a file onnxruntime runs to the same.
///
/// One output is compared with onnxruntime instead: the dynamo exporter writes the
/// antialiased thumbnail's scale 0.3 as sizes 19 × 19 (scale 19/64), so the file itself
/// resamples otherwise than PyTorch did; onnxruntime and the onnx reference evaluator both
/// differ from PyTorch there by 0.10, as we do.
@Suite struct ResampleFixtureTests {
    static let fixtures = ["unet_torchscript", "unet_dynamo"]
    static let outputs = ["resized", "thumbnail"]

    static func directory(_ name: String) -> String {
        Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/resample/\(name)").path
    }

    static func tensor(_ path: String) throws -> Tensor { try ONNXTensorFile.read(from: path).tensor }

    @Test(arguments: fixtures)
    func runsToPyTorchsOutputsAtTwoBatchSizes(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        #expect(graph.nodes.filter { $0.op.onnxName == "Resize" }.count == 4)
        // The bicubic sizes are Concat(Shape(x)[:2], [20, 24]): followed, the batch stays symbolic.
        let types = try ShapeInference.run(graph).types
        #expect(types[graph.outputs[0].name]?.dims == ["batch", 4, 20, 24])
        let session = try Session(graph: graph)
        let runtimeOutputs = try temporaryDirectory()
        _ = try Python.run(script: "ort_run_test_data.py", [directory, runtimeOutputs])
        for dataSet in ["test_data_set_0", "test_data_set_1"] {
            let ours = try session.run(["images": try Self.tensor("\(directory)/\(dataSet)/input_0.pb")])
            for (index, output) in Self.outputs.enumerated() {
                let fromFileItself = name == "unet_dynamo" && output == "thumbnail"
                guard !fromFileItself || dataSet == "test_data_set_0" else { continue }
                let reference = try Self.tensor(fromFileItself ? "\(runtimeOutputs)/output_\(index).pb" : "\(directory)/\(dataSet)/output_\(index).pb")
                let mismatch = ours[output]?.mismatch(against: reference, .float32)
                #expect(ours[output] != nil && mismatch == nil, "\(name) \(dataSet) '\(output)': \(mismatch?.description ?? "missing")")
            }
        }
        let report = try ComplexityReport(counting: graph)
        #expect(report.uncounted.isEmpty && report.total.flops != .zero)
    }

    @Test(arguments: fixtures)
    func reexportedFileRunsToTheSameOutputsInOnnxruntime(_ name: String) throws {
        let directory = Self.directory(name)
        let graph = try ONNXModel.read(from: directory + "/model.onnx").graph
        let rewritten = try temporaryDirectory()
        try ONNXModel(graph: graph, opsetVersion: 18).write(to: rewritten + "/model.onnx")
        try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_0", withDestinationPath: directory + "/test_data_set_0")
        let (original, again) = (try temporaryDirectory(), try temporaryDirectory())
        _ = try Python.run(script: "ort_run_test_data.py", [directory, original])
        _ = try Python.run(script: "ort_run_test_data.py", [rewritten, again])
        for index in Self.outputs.indices {
            let mismatch = try Self.tensor("\(again)/output_\(index).pb").mismatch(against: try Self.tensor("\(original)/output_\(index).pb"), .float32)
            #expect(mismatch == nil, "\(name) output \(index) re-exported: \(mismatch?.description ?? "")")
        }
    }
}
