import Testing
import ZooGraph
import ZooModels
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Zoo architectures at small sizes, seeded weights, against onnxruntime on the same graph.
@Suite struct ZooModelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let entry: @Sendable () throws -> ModelEntry
        let sizes: [String: Int]
        var tolerance = Tolerance.float32
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "LeNet-5", entry: { try Zoo.model("lenet5") }, sizes: ["batch": 2]),
        // Twenty convolutions of up to 3·3·512 products each, summed in different orders by
        // oneDNN and onnxruntime: logits of order 0.1 to 1 differ by up to 3.3e-5, an
        // absolute error that the depth, not the logit's size, sets. atol 1e-4.
        Case(label: "ResNet-18 at 64x64", entry: { try Zoo.model("resnet18").with(imageSize: .init(height: 64, width: 64)) },
             sizes: ["batch": 2], tolerance: Tolerance(rtol: 1e-4, atol: 1e-4)),
        Case(label: "BERT tiny", entry: { try Zoo.model("bert-tiny") }, sizes: ["batch": 2, "seq": 7]),
        Case(label: "small LSTM LM", entry: {
            ModelEntry("lstm-lm-small", LSTMLanguageModel(vocabularySize: 50, embeddingSize: 24, hiddenSize: 24), "test size")
        }, sizes: ["batch": 3, "seq": 6]),
        Case(label: "ELMo small", entry: { try Zoo.model("elmo") }, sizes: ["batch": 2, "seq": 4]),
    ]

    @Test(arguments: cases) func matchesOnnxRuntime(_ testCase: Case) throws {
        let entry = try testCase.entry()
        var graph = try entry.graph(initialization: .seeded(17))
        let inputs = try Self.inputs(for: graph, sizes: testCase.sizes)
        graph = try BatchNormCalibration.calibrated(graph, on: inputs)
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: testCase.tolerance, testCase.label)
    }

    /// Seeded inputs: normal images; ids small enough for every vocabulary; token types in
    /// {0, 1}; attention masks with the last position of each sequence masked.
    static func inputs(for graph: Graph, sizes: [String: Int]) throws -> [String: Tensor] {
        var inputs: [String: Tensor] = [:]
        for (index, input) in graph.inputs.enumerated() {
            let shape = input.type.dims.map { $0.value ?? sizes[$0.description] ?? 1 }
            let seed = UInt64(1000 + index)
            guard input.type.dtype == .int64 else {
                inputs[input.name] = try Tensor.random(shape: shape, distribution: .normal(mean: 0, standardDeviation: 1), seed: seed)
                continue
            }
            let count = shape.reduce(1, *)
            var generator = SplitMix64(seed: seed)
            let values: [Int64] = (0..<count).map { position in
                if input.name.contains("mask") { return position % shape.last! == shape.last! - 1 ? 0 : 1 }
                let bound: UInt64 = input.name.contains("token_type") ? 2 : 40
                return Int64(generator.next() % bound)
            }
            inputs[input.name] = try Tensor(shape: shape, scalars: values)
        }
        return inputs
    }
}
