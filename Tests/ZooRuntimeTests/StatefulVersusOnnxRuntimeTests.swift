import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// TensorScatter (opset 24) and CausalConvWithState (opset 27) against onnxruntime on seeded
/// inputs, each graph exported by ZooONNX. TensorScatter only moves elements: exact (float32,
/// float16 and int64 caches). The causal convolution sums k products in another order than
/// onnxruntime: rtol 1e-4, atol 1e-5 (Tolerance.float32); float16 as its test says.
@Suite struct StatefulVersusOnnxRuntimeTests {
    static let scatterCases: [(label: String, attributes: TensorScatterAttributes, cache: [Int], update: [Int], writeIndices: [Int]?)] = [
        ("4-D, axis -2, decode step at per-batch positions", TensorScatterAttributes(circular: false, axis: -2), [2, 3, 8, 4], [2, 3, 1, 4], [5, 7]),
        ("4-D, prefill without write_indices", TensorScatterAttributes(circular: false, axis: -2), [2, 3, 8, 4], [2, 3, 5, 4], nil),
        ("3-D, axis 1, linear filling the end", TensorScatterAttributes(circular: false, axis: 1), [3, 6, 5], [3, 2, 5], [0, 4, 2]),
        ("4-D, circular, wrapping past the end", TensorScatterAttributes(circular: true, axis: -2), [2, 2, 6, 3], [2, 2, 4, 3], [4, 9]),
        ("5-D, axis 2 in the middle, circular", TensorScatterAttributes(circular: true, axis: 2), [2, 3, 5, 2, 3], [2, 3, 3, 2, 3], [3, 0]),
    ]

    @Test(arguments: 0..<5) func tensorScatter(_ index: Int) throws {
        let testCase = Self.scatterCases[index]
        var operands: [Operand] = [.input(try random(testCase.cache, seed: 1)), .input(try random(testCase.update, seed: 2))]
        if let indices = testCase.writeIndices { operands.append(.input(try int64s(indices, shape: [indices.count]))) }
        let (graph, inputs) = try singleNodeGraph(.stateful(.tensorScatter(testCase.attributes)), operands)
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: Tolerance(rtol: 0, atol: 0), opset: 24, testCase.label)
    }

    @Test(arguments: [DType.float16, .int64]) func tensorScatterMovesAnyDType(_ dtype: DType) throws {
        let cache = try random([2, 7, 3], seed: 3), update = try random([2, 3, 3], seed: 4)
        func converted(_ tensor: Tensor) throws -> Tensor {
            let values = try tensor.scalars(as: Float.self)
            return dtype == .int64 ? try int64s(values.map { Int($0 * 100) }, shape: tensor.shape)
                                   : try Tensor(shape: tensor.shape, scalars: values.map { Float16($0) })
        }
        let (graph, inputs) = try singleNodeGraph(.stateful(.tensorScatter(TensorScatterAttributes(circular: true, axis: 1))),
                                                  [.input(try converted(cache)), .input(try converted(update)), .input(try int64s([6, 2], shape: [2]))])
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: Tolerance(rtol: 0, atol: 0), opset: 24, "\(dtype)")
    }

    @Test func tensorScatterRefusesALinearWritePastTheEnd() throws {
        let (graph, inputs) = try singleNodeGraph(.stateful(.tensorScatter(TensorScatterAttributes(circular: false, axis: -2))),
                                                  [.input(try random([2, 5, 3], seed: 5)), .input(try random([2, 2, 3], seed: 6)),
                                                   .input(try int64s([3, 4], shape: [2]))])
        #expect(throws: RuntimeError.self) { try Session(graph: graph).run(inputs) }
    }

    static let convolutionCases: [(label: String, activation: CausalConvolutionActivation, input: [Int], kernelSize: Int, bias: Bool, past: Bool)] = [
        ("no bias, no past", .none, [2, 3, 7], 4, false, false),
        ("bias and past", .none, [2, 3, 7], 4, true, true),
        ("silu with past", .silu, [1, 5, 6], 3, false, true),
        ("swish with bias", .swish, [2, 4, 5], 2, true, false),
        ("kernel size one: an empty state", .none, [2, 3, 4], 1, true, false),
        ("input shorter than the state", .silu, [1, 2, 2], 5, true, true),
        ("decode step of one position", .silu, [3, 8, 1], 4, true, true),
        ("64 channels over threads", .silu, [3, 64, 50], 4, true, true),
    ]

    @Test(arguments: 0..<8) func causalConvolution(_ index: Int) throws {
        let testCase = Self.convolutionCases[index]
        let (batch, channels) = (testCase.input[0], testCase.input[1])
        let operands: [Operand] = [
            .input(try random(testCase.input, seed: 10, low: -3, high: 3)), .input(try random([channels, 1, testCase.kernelSize], seed: 11)),
            testCase.bias ? .input(try random([channels], seed: 12)) : .absent,
            testCase.past ? .input(try random([batch, channels, testCase.kernelSize - 1], seed: 13)) : .absent,
        ]
        let (graph, inputs) = try singleNodeGraph(.stateful(.causalConvolution(activation: testCase.activation)), operands, outputCount: 2)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(threads: 2), opset: 27, testCase.label)
    }

    /// float16: summed in float32 here and by onnxruntime, rounded to float16 before and after
    /// SiLU: within 2 units in the last place (rtol 2e-3, atol 1e-3).
    @Test(arguments: [CausalConvolutionActivation.none, .silu]) func causalConvolutionInFloat16(_ activation: CausalConvolutionActivation) throws {
        func half(_ shape: [Int], seed: UInt64) throws -> Tensor {
            try Tensor(shape: shape, scalars: try random(shape, seed: seed, low: -2, high: 2).scalars(as: Float.self).map { Float16($0) })
        }
        let (graph, inputs) = try singleNodeGraph(.stateful(.causalConvolution(activation: activation)),
                                                  [.input(try half([2, 6, 9], seed: 14)), .input(try half([6, 1, 4], seed: 15)),
                                                   .input(try half([6], seed: 16)), .input(try half([2, 6, 3], seed: 17))], outputCount: 2)
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: Tolerance(rtol: 2e-3, atol: 1e-3), opset: 27, "\(activation)")
    }
}

/// LinearAttention (opset 27) against onnxruntime: every update rule, per-feature and
/// per-head decay, per-head and shared beta, grouped-query and multi-query heads, a past
/// state, an explicit scale and a prefill of 40 tokens over threads. Sums of dk products run
/// in another order, and the recurrence carries them over tokens: rtol 1e-4, atol 1e-4.
@Suite struct LinearAttentionVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let attributes: LinearAttentionAttributes
        let batch: Int, tokens: Int, keySize: Int, valueSize: Int
        var past = false
        /// The decay's and beta's last axes, when the rule takes them.
        var decayWidth = 0, betaWidth = 0
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "linear, no past", attributes: LinearAttentionAttributes(updateRule: .linear, queryHeadCount: 2, keyValueHeadCount: 2),
             batch: 2, tokens: 5, keySize: 4, valueSize: 3),
        Case(label: "gated, per-feature decay, past", attributes: LinearAttentionAttributes(updateRule: .gated, queryHeadCount: 2, keyValueHeadCount: 2),
             batch: 2, tokens: 4, keySize: 4, valueSize: 5, past: true, decayWidth: 8),
        Case(label: "delta, shared beta, explicit scale", attributes: LinearAttentionAttributes(updateRule: .delta, queryHeadCount: 3, keyValueHeadCount: 3, scale: 0.7),
             batch: 1, tokens: 6, keySize: 4, valueSize: 4, past: true, betaWidth: 1),
        Case(label: "gated_delta, grouped-query 4/2, per-head decay and beta", attributes: LinearAttentionAttributes(queryHeadCount: 4, keyValueHeadCount: 2),
             batch: 2, tokens: 3, keySize: 8, valueSize: 6, past: true, decayWidth: 2, betaWidth: 2),
        Case(label: "gated_delta, multi-query 3/1, decode step", attributes: LinearAttentionAttributes(queryHeadCount: 3, keyValueHeadCount: 1),
             batch: 3, tokens: 1, keySize: 4, valueSize: 4, past: true, decayWidth: 4, betaWidth: 1),
        Case(label: "gated_delta, prefill of 40 tokens, 4 pairs over threads", attributes: LinearAttentionAttributes(queryHeadCount: 2, keyValueHeadCount: 2),
             batch: 2, tokens: 40, keySize: 16, valueSize: 16, decayWidth: 32, betaWidth: 2),
    ]

    @Test(arguments: cases) func linearAttention(_ testCase: Case) throws {
        let (b, t, heads) = (testCase.batch, testCase.tokens, testCase.attributes.keyValueHeadCount)
        // Small keys keep the delta rules' state bounded; decays are log-rates (negative), betas rates in (0, 1).
        var operands: [Operand] = [
            .input(try random([b, t, testCase.attributes.queryHeadCount * testCase.keySize], seed: 20)),
            .input(try random([b, t, heads * testCase.keySize], seed: 21, low: -0.4, high: 0.4)),
            .input(try random([b, t, heads * testCase.valueSize], seed: 22)),
            testCase.past ? .input(try random([b, heads, testCase.keySize, testCase.valueSize], seed: 23)) : .absent,
        ]
        if testCase.decayWidth > 0 || testCase.betaWidth > 0 {
            operands.append(testCase.decayWidth > 0 ? .input(try random([b, t, testCase.decayWidth], seed: 24, low: -1, high: 0)) : .absent)
        }
        if testCase.betaWidth > 0 { operands.append(.input(try random([b, t, testCase.betaWidth], seed: 25, low: 0, high: 1))) }
        let (graph, inputs) = try singleNodeGraph(.stateful(.linearAttention(testCase.attributes)), operands, outputCount: 2)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(threads: 2), tolerance: Tolerance(rtol: 1e-4, atol: 1e-4),
                                     opset: 27, testCase.label)
    }

    /// float16 inputs, state and outputs, computed in float32 here and by onnxruntime and rounded
    /// once: within 2 units in the last place (rtol 2e-3, atol 1e-3).
    @Test func gatedDeltaInFloat16() throws {
        func half(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) throws -> Tensor {
            try Tensor(shape: shape, scalars: try random(shape, seed: seed, low: low, high: high).scalars(as: Float.self).map { Float16($0) })
        }
        let (graph, inputs) = try singleNodeGraph(
            .stateful(.linearAttention(LinearAttentionAttributes(queryHeadCount: 4, keyValueHeadCount: 2))),
            [.input(try half([2, 5, 16], seed: 30)), .input(try half([2, 5, 8], seed: 31, low: -0.4, high: 0.4)), .input(try half([2, 5, 6], seed: 32)),
             .input(try half([2, 2, 4, 3], seed: 33)), .input(try half([2, 5, 8], seed: 34, low: -1, high: 0)), .input(try half([2, 5, 2], seed: 35, low: 0, high: 1))],
            outputCount: 2)
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: Tolerance(rtol: 2e-3, atol: 1e-3), opset: 27, "float16")
    }
}
