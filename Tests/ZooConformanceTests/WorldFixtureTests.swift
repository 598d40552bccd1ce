import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// ONNX files that other projects' exporters write, of models outside the zoo
/// (Tests/Fixtures/world, made once by Tests/interop/make_world_fixtures.py: torchvision
/// classifiers and Hugging Face encoders and decoders with random weights, each with PyTorch's
/// own outputs at two input sizes). Each must import, run to PyTorch's outputs at both sizes in
/// one session, be counted completely, and survive re-export: onnxruntime runs our copy to the
/// same outputs.
///
/// Whole models are compared element by element within rtol 1e-3 and atol 1e-5 + 1e-4 of the
/// output's largest magnitude (`Tolerance.wholeModel`): float32 rounding accumulates over
/// dozens of layers, differently in PyTorch, oneDNN and our kernels.
@Suite struct WorldFixtureTests {
    struct Fixture: CustomStringConvertible, Sendable {
        let name: String
        var description: String { name }
        var directory: String { Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/world/\(name)").path }
        /// test_data_set_0 at batch 2 (7 tokens for text), test_data_set_1 at batch 1 (11 tokens).
        static let dataSets = ["test_data_set_0", "test_data_set_1"]
    }

    static let all = [
        "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "densenet", "efficientnet_b0", "inception_v3",
        "regnet_y", "convnext", "mnasnet", "resnext", "vit", "swin", "distilbert", "roberta", "albert", "electra",
        "gpt2", "gpt2_with_past", "t5_encoder", "t5_decoder", "whisper_encoder",
        // Runtime shapes (Tests/interop/make_runtime_shape_fixtures.py)
        "shufflenet_v2", "deberta_v2",
    ].map(Fixture.init)

    /// Fixtures refused today, each with the error it must give. The test fails when a listed
    /// fixture imports, or is refused for another reason, so the list shrinks and hides no new
    /// refusal. (ViT and GPT-2 with past, whose shapes are computed while the graph runs, left
    /// it when staged planning landed.)
    static let refusals: [String: String] = [:]

    static var supported: [Fixture] { all.filter { refusals[$0.name] == nil } }

    static func model(_ fixture: Fixture) throws -> ONNXModel {
        try ONNXModel.read(from: fixture.directory + "/model.onnx")
    }

    static func tensors(_ kind: String, in directory: String) throws -> [Tensor] {
        let count = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(kind + "_") }.count
        return try (0..<count).map { try ONNXTensorFile.read(from: "\(directory)/\(kind)_\($0).pb").tensor }
    }

    static func checkClose(_ actual: Tensor?, _ reference: Tensor, _ what: String) {
        guard let actual else {
            Issue.record("\(what): missing")
            return
        }
        if let mismatch = actual.mismatch(against: reference, .wholeModel(reference)) {
            Issue.record("\(what) \(actual.dtype)\(actual.shape) vs PyTorch \(reference.dtype)\(reference.shape): \(mismatch)")
        }
    }

    @Test(arguments: all)
    func importsUnlessItsRefusalIsListed(_ fixture: Fixture) throws {
        guard let refusal = Self.refusals[fixture.name] else {
            _ = try Self.model(fixture)
            return
        }
        do {
            _ = try Self.model(fixture)
            Issue.record("\(fixture) imports now: remove it from `refusals`")
        } catch {
            #expect("\(error)".contains(refusal), "\(error)")
        }
    }

    @Test(arguments: supported)
    func executorMatchesPyTorchAtTwoSizes(_ fixture: Fixture) throws {
        let graph = try Self.model(fixture).graph
        let session = try Session(graph: graph, options: SessionOptions(threads: 2))
        for dataSet in Fixture.dataSets {
            let data = fixture.directory + "/" + dataSet
            let inputs = try Self.tensors("input", in: data)
            let outputs = try session.run(Dictionary(uniqueKeysWithValues: zip(graph.inputs.map(\.name), inputs)))
            for (output, reference) in zip(graph.outputs, try Self.tensors("output", in: data)) {
                Self.checkClose(outputs[output.name], reference, "\(fixture) \(dataSet) output \(output.name)")
            }
        }
    }

    /// Every node has a counting rule, and the trainable parameters PyTorch reports are all
    /// there (exporters add constants such as attention scales, and the dynamo exporter folds
    /// BatchNorm, so the count may differ by those, never fall short of the weights' tensors).
    @Test(arguments: supported)
    func countedCompletely(_ fixture: Fixture) throws {
        let report = try ComplexityReport(counting: try Self.model(fixture).graph)
        #expect(report.uncounted.isEmpty, "\(report.uncounted)")
        #expect(report.total.macs != .zero)
        #expect(report.total.parameters > 0)
    }

    /// Our writer's copy of the imported graph passes onnx.checker and runs in onnxruntime to
    /// PyTorch's outputs at both sizes.
    @Test(arguments: supported)
    func reexportedFileMatchesPyTorchInOnnxruntime(_ fixture: Fixture) throws {
        let directory = try temporaryDirectory()
        try ONNXModel(graph: try Self.model(fixture).graph).write(to: directory + "/model.onnx")
        for dataSet in Fixture.dataSets {
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + dataSet,
                                                       withDestinationPath: fixture.directory + "/" + dataSet)
            let outputs = try temporaryDirectory()
            _ = try Python.run(script: "ort_run_test_data.py", [directory, outputs, dataSet])
            let references = try Self.tensors("output", in: fixture.directory + "/" + dataSet)
            for (index, (actual, reference)) in zip(try Self.tensors("output", in: outputs), references).enumerated() {
                Self.checkClose(actual, reference, "onnxruntime on our export of \(fixture) \(dataSet), output \(index)")
            }
        }
    }
}
