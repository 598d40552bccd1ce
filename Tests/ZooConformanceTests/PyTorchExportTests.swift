import Foundation
import Testing
import ZooAnalysis
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// ONNX files written by PyTorch's own exporters (Tests/Fixtures/pytorch, made once by
/// Tests/interop/make_pytorch_fixtures.py: small torchvision-style CNNs and a Hugging Face
/// BertModel with random weights), imported, inferred, run and counted by us.
///
/// Outputs must match PyTorch's own in dtype and shape, and every element within
/// Tolerance.float32 (rtol 1e-4, atol 1e-5): float32 summation order differs between
/// PyTorch, oneDNN and our kernels.
@Suite struct PyTorchExportTests {
    struct Fixture: CustomStringConvertible, Sendable {
        let name: String
        /// Every graph output's type as shape inference must find it.
        let outputs: [String: TensorType]
        var description: String { name }

        var directory: String { Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/pytorch/\(name)").path }
    }

    static let logits = ["logits": TensorType(.float32, ["batch", 10])]
    static let bertOutputs = ["last_hidden_state": TensorType(.float32, ["batch", "seq", 64]),
                              "pooler_output": TensorType(.float32, ["batch", 64])]

    /// Opset 17 files from the TorchScript exporter (`dynamo=False`).
    static let classicExports = [
        Fixture(name: "resnet_basic", outputs: logits), Fixture(name: "resnet_bottleneck", outputs: logits),
        Fixture(name: "alexnet", outputs: logits), Fixture(name: "vgg11", outputs: logits),
        Fixture(name: "googlenet", outputs: logits), Fixture(name: "bert", outputs: bertOutputs),
    ]
    /// Files from the dynamo exporter, PyTorch's default, at its own opset (20).
    static let dynamoExports = [
        Fixture(name: "resnet_basic_dynamo", outputs: logits), Fixture(name: "bert_dynamo", outputs: bertOutputs),
    ]

    /// What the fixture script recorded of the PyTorch model.
    struct Expected: Decodable {
        struct Parameters: Decodable {
            let trainable: Int
            let runningStatistics: Int
            /// Every parameter and BatchNorm running statistic, by state_dict name.
            let shapes: [String: [Int]]
        }

        let opset: Int
        let parameters: Parameters
    }

    static func expected(_ fixture: Fixture) throws -> Expected {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/expected.json")))
    }

    static func model(_ fixture: Fixture) throws -> ONNXModel {
        try ONNXModel.read(from: fixture.directory + "/model.onnx")
    }

    static func tensors(_ kind: String, count: Int, in directory: String) throws -> [Tensor] {
        try (0..<count).map { try ONNXTensorFile.read(from: "\(directory)/\(kind)_\($0).pb").tensor }
    }

    static func checkClose(_ actual: Tensor?, _ reference: Tensor, _ what: String) {
        guard let actual else {
            Issue.record("\(what): missing")
            return
        }
        if let mismatch = actual.mismatch(against: reference, .float32) {
            Issue.record("\(what) \(actual.dtype)\(actual.shape) vs PyTorch \(reference.dtype)\(reference.shape): \(mismatch)")
        }
    }

    @Test(arguments: classicExports + dynamoExports)
    func importKeepsBatchAndSequenceSymbolic(_ fixture: Fixture) throws {
        let model = try Self.model(fixture)
        #expect(model.opsetVersion == (try Self.expected(fixture)).opset)
        let types = try model.graph.valueTypes()
        for (name, type) in fixture.outputs { #expect(types[name] == type, "output \(name)") }
    }

    @Test(arguments: classicExports + dynamoExports)
    func executorMatchesPyTorch(_ fixture: Fixture) throws {
        let graph = try Self.model(fixture).graph
        let data = fixture.directory + "/test_data_set_0"
        let inputs = try Self.tensors("input", count: graph.inputs.count, in: data)
        let session = try Session(graph: graph, options: SessionOptions(threads: 2))
        let outputs = try session.run(Dictionary(uniqueKeysWithValues: zip(graph.inputs.map(\.name), inputs)))
        let references = try Self.tensors("output", count: graph.outputs.count, in: data)
        for (output, reference) in zip(graph.outputs, references) {
            Self.checkClose(outputs[output.name], reference, "\(fixture.name) output \(output.name)")
        }
    }

    /// One session re-plans for new sizes of the symbolic axes: a batch of 3 made of the
    /// fixture's rows must give PyTorch's outputs for those rows. BERT's second input is
    /// padded after 5 tokens, so cut to 5 tokens it must give the same states for them (the
    /// padded tokens were masked out) and the same pooled output.
    @Test(arguments: classicExports + dynamoExports)
    func executorReplansForOtherBatchAndSequenceSizes(_ fixture: Fixture) throws {
        let graph = try Self.model(fixture).graph
        let data = fixture.directory + "/test_data_set_0"
        let hasSequence = fixture.outputs.values.contains { $0.dims.contains("seq") }
        let (rows, length) = hasSequence ? ([1, 1, 1], 5) : ([1, 0, 1], nil as Int?)
        let session = try Session(graph: graph, options: SessionOptions(threads: 2))
        let inputs = try Self.tensors("input", count: graph.inputs.count, in: data)
        _ = try session.run(Dictionary(uniqueKeysWithValues: zip(graph.inputs.map(\.name), inputs)))
        let cropped = try inputs.map { try Self.crop($0, rows: rows, length: length) }
        let outputs = try session.run(Dictionary(uniqueKeysWithValues: zip(graph.inputs.map(\.name), cropped)))
        let references = try Self.tensors("output", count: graph.outputs.count, in: data)
        for (output, reference) in zip(graph.outputs, references) {
            let expected = try Self.crop(reference, rows: rows, length: reference.rank > 2 ? length : nil)
            Self.checkClose(outputs[output.name], expected, "\(fixture.name) output \(output.name) at \(expected.shape)")
        }
    }

    /// `tensor[rows, :length]` of a tensor shaped [batch, seq, ...] (all of axis 1 when
    /// `length` is nil).
    static func crop(_ tensor: Tensor, rows: [Int], length: Int?) throws -> Tensor {
        let sequence = tensor.shape[1], kept = length ?? sequence
        let blockBytes = tensor.dtype.byteSize * tensor.shape[2...].reduce(1, *)
        var cropped = try Tensor(zeros: [rows.count, kept] + tensor.shape[2...], dtype: tensor.dtype)
        tensor.withUnsafeBytes { source in
            cropped.withUnsafeMutableBytes { destination in
                for (position, row) in rows.enumerated() {
                    (destination.baseAddress! + position * kept * blockBytes)
                        .copyMemory(from: source.baseAddress! + row * sequence * blockBytes, byteCount: kept * blockBytes)
                }
            }
        }
        return cropped
    }

    /// The files are sound for a peer runtime too: onnxruntime reproduces PyTorch's outputs
    /// within the same tolerance.
    @Test(arguments: classicExports + dynamoExports)
    func onnxruntimeMatchesPyTorch(_ fixture: Fixture) throws {
        try Self.checkOnnxruntime(modelDirectory: fixture.directory, fixture)
    }

    /// Import and export are inverse mappings for these files: our writer's copy of each
    /// imported graph (opset 17) passes onnx.checker and runs in onnxruntime to PyTorch's
    /// outputs.
    @Test(arguments: classicExports + dynamoExports)
    func reexportedFileMatchesPyTorchInOnnxruntime(_ fixture: Fixture) throws {
        let directory = try temporaryDirectory()
        try ONNXModel(graph: try Self.model(fixture).graph).write(to: directory + "/model.onnx")
        try FileManager.default.createSymbolicLink(atPath: directory + "/test_data_set_0",
                                                   withDestinationPath: fixture.directory + "/test_data_set_0")
        try Self.checkOnnxruntime(modelDirectory: directory, fixture)
    }

    /// Runs `modelDirectory`'s model.onnx on the fixture's input in onnxruntime (after a full
    /// onnx.checker check) and compares with PyTorch's outputs.
    static func checkOnnxruntime(modelDirectory: String, _ fixture: Fixture) throws {
        let outputs = try temporaryDirectory()
        _ = try Python.run(script: "ort_run_test_data.py", [modelDirectory, outputs])
        let count = fixture.outputs.count
        let references = try tensors("output", count: count, in: fixture.directory + "/test_data_set_0")
        for (index, (actual, reference)) in zip(try tensors("output", count: count, in: outputs), references).enumerated() {
            checkClose(actual, reference, "onnxruntime on \(modelDirectory)/model.onnx, output \(index)")
        }
    }

    /// The TorchScript exporter names initializers by state_dict name, so weights move by
    /// name. BatchNormalization stays unfolded (the script exports with
    /// TrainingMode.PRESERVE), so its parameters keep their names too. The exceptions are
    /// BERT's nn.Linear weights inside the encoder: the exporter constant-folds their
    /// transposition into new `onnx::MatMul_*` initializers.
    @Test(arguments: classicExports)
    func initializersKeepStateDictNames(_ fixture: Fixture) throws {
        let initializers = try Self.model(fixture).graph.initializerTensors
        var renamed: [String] = []
        for (name, shape) in try Self.expected(fixture).parameters.shapes {
            guard let tensor = initializers[name] else {
                renamed.append(name)
                continue
            }
            #expect(tensor.shape == shape, "\(name)")
        }
        let isEncoderLinearWeight = { (name: String) in
            name.hasPrefix("encoder.layer.") && name.hasSuffix(".weight") && !name.contains("LayerNorm")
        }
        #expect(renamed.allSatisfy(isEncoderLinearWeight), "\(renamed.sorted())")
        #expect(renamed.count == (fixture.name == "bert" ? 12 : 0))
    }

    /// A few names written out by hand, independently of what the script recorded: they are
    /// torchvision's and transformers' own.
    @Test func namesOfTorchvisionAndTransformersParametersSurvive() throws {
        let names: [String: [String: [Int]]] = [
            "resnet_basic": ["layer1.0.conv1.weight": [8, 8, 3, 3], "layer2.0.downsample.0.weight": [16, 8, 1, 1],
                             "layer2.0.downsample.1.running_var": [16], "fc.weight": [10, 64]],
            "resnet_bottleneck": ["layer1.0.conv3.weight": [32, 8, 1, 1], "layer4.0.bn3.bias": [256]],
            "alexnet": ["features.0.weight": [4, 3, 11, 11], "features.10.bias": [16], "classifier.1.weight": [128, 576]],
            "vgg11": ["features.18.weight": [32, 32, 3, 3], "classifier.6.bias": [10]],
            "googlenet": ["conv1.conv.weight": [8, 3, 7, 7], "inception3a.branch2.1.bn.running_mean": [16],
                          "inception5b.branch4.1.conv.weight": [16, 104, 1, 1]],
            "bert": ["embeddings.word_embeddings.weight": [500, 64], "encoder.layer.1.attention.self.query.bias": [64],
                     "encoder.layer.0.output.LayerNorm.weight": [64], "pooler.dense.weight": [64, 64]],
        ]
        for fixture in Self.classicExports {
            let initializers = try Self.model(fixture).graph.initializerTensors
            for (name, shape) in names[fixture.name] ?? [:] { #expect(initializers[name]?.shape == shape, "\(fixture): \(name)") }
        }
    }

    /// Counting the imported graph finds PyTorch's parameter count: trainable parameters
    /// equal the model's `numel()` sum, and BatchNorm running statistics are counted as
    /// non-trainable. Every node has a counting rule.
    @Test(arguments: classicExports)
    func parameterCountEqualsPyTorchNumel(_ fixture: Fixture) throws {
        let report = try ComplexityReport(counting: try Self.model(fixture).graph)
        let expected = try Self.expected(fixture).parameters
        #expect(report.total.trainableParameters == expected.trainable)
        #expect(report.total.nonTrainableParameters == expected.runningStatistics)
        #expect(report.uncounted.isEmpty)
        #expect(report.unreadParameters.isEmpty)
    }

    /// The dynamo exporter's optimiser changes the parameters: it folds each BatchNorm into
    /// the Conv before it (scale and shift, 2C, become the Conv's bias, C; the running
    /// statistics go), and it keeps BERT's attention scale, its 0 and the mask's minimum as
    /// float scalar initializers. Counting finds exactly that, and covers every node.
    @Test(arguments: dynamoExports)
    func dynamoExportsAreCountedCompletely(_ fixture: Fixture) throws {
        let report = try ComplexityReport(counting: try Self.model(fixture).graph)
        let pytorch = try Self.expected(fixture).parameters
        let scalarConstants = fixture.name == "bert_dynamo" ? 3 : 0
        #expect(report.total.parameters == pytorch.trainable - pytorch.runningStatistics / 2 + scalarConstants)
        #expect(report.uncounted.isEmpty)
    }
}
