import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Attention (opsets 23, 24, 25) and RotaryEmbedding against onnxruntime on seeded inputs,
/// each graph exported by ZooONNX: 4-D and 3-D inputs, grouped-query heads, boolean and
/// additive masks broadcast from 2-D, 3-D and 4-D and shorter than the keys, causal with a
/// past (present outputs), softcap, scale, every qk_matmul_output mode, nonpad_kv_seqlen,
/// windows, float16, and sequences of several 256-key blocks split over threads; against
/// onnx's reference evaluator where onnxruntime departs from the spec (each case says). float32
/// sums run in another order than onnxruntime's: rtol 1e-4, atol 1e-5 (Tolerance.float32).
/// float16 results are rounded once from float32 here and by onnxruntime from its own
/// float32 sums: within 2 units in the last place (rtol 2e-3, atol 1e-3).
@Suite struct AttentionVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        var attributes = AttentionAttributes()
        var opset = 23
        var outputCount = 1
        /// onnx's reference evaluator (the spec) where onnxruntime departs from it.
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        let operands: @Sendable () throws -> [Operand]
        var testDescription: String { label }
    }

    static func mask(_ shape: [Int], seed: UInt64) throws -> Tensor {
        let values = try random(shape, seed: seed).scalars(as: Float.self)
        return try Tensor(shape: shape, scalars: values.map { $0 > -0.6 })
    }

    static func float16(_ shape: [Int], seed: UInt64) throws -> Tensor {
        try Tensor(shape: shape, scalars: try random(shape, seed: seed).scalars(as: Float.self).map { Float16($0) })
    }

    static let cases: [Case] = [
        Case(label: "4-D, one head size, no mask") {
            [.input(try random([2, 3, 5, 8], seed: 1)), .input(try random([2, 3, 7, 8], seed: 2)), .input(try random([2, 3, 7, 8], seed: 3))]
        },
        Case(label: "4-D, value head size differs, scale", attributes: AttentionAttributes(scale: 0.3)) {
            [.input(try random([1, 2, 4, 6], seed: 4)), .input(try random([1, 2, 9, 6], seed: 5)), .input(try random([1, 2, 9, 5], seed: 6))]
        },
        Case(label: "3-D, grouped-query heads 6/2, causal", attributes: AttentionAttributes(isCausal: true, queryHeadCount: 6, keyValueHeadCount: 2)) {
            [.input(try random([2, 5, 24], seed: 7)), .input(try random([2, 5, 8], seed: 8)), .input(try random([2, 5, 12], seed: 9))]
        },
        Case(label: "boolean mask [Sq, T] broadcast") {
            [.input(try random([2, 2, 4, 8], seed: 10)), .input(try random([2, 2, 6, 8], seed: 11)), .input(try random([2, 2, 6, 8], seed: 12)),
             .input(try mask([4, 6], seed: 13))]
        },
        Case(label: "additive mask [H, Sq, T] with -inf, softcap", attributes: AttentionAttributes(softcap: 1.5)) {
            var values = try random([2, 4, 6], seed: 14, low: -2, high: 1).scalars(as: Float.self)
            for index in stride(from: 0, to: values.count, by: 5) { values[index] = -.infinity }
            return [.input(try random([1, 2, 4, 8], seed: 15, low: -3, high: 3)), .input(try random([1, 2, 6, 8], seed: 16, low: -3, high: 3)),
                    .input(try random([1, 2, 6, 8], seed: 17)), .input(try floats(values, shape: [2, 4, 6]))]
        },
        Case(label: "4-D boolean mask with fully masked rows") {
            var values = try mask([2, 2, 3, 5], seed: 18).scalars(as: Bool.self)
            for index in 0..<5 { values[index] = false }
            return [.input(try random([2, 2, 3, 8], seed: 19)), .input(try random([2, 2, 5, 8], seed: 20)), .input(try random([2, 2, 5, 8], seed: 21)),
                    .input(try Tensor(shape: [2, 2, 3, 5], scalars: values))]
        },
        Case(label: "causal with past, grouped-query, present outputs", attributes: AttentionAttributes(isCausal: true), outputCount: 3) {
            [.input(try random([2, 4, 3, 8], seed: 22)), .input(try random([2, 2, 3, 8], seed: 23)), .input(try random([2, 2, 3, 8], seed: 24)),
             .absent, .input(try random([2, 2, 5, 8], seed: 25)), .input(try random([2, 2, 5, 8], seed: 26))]
        },
        // onnxruntime refuses a mask shorter than the keys with a past.
        Case(label: "3-D with past, additive mask shorter than the keys", attributes: AttentionAttributes(queryHeadCount: 2, keyValueHeadCount: 2),
             outputCount: 3, evaluator: .onnxReference) {
            [.input(try random([1, 3, 16], seed: 27)), .input(try random([1, 3, 16], seed: 28)), .input(try random([1, 3, 16], seed: 29)),
             .input(try random([3, 7], seed: 30)), .input(try random([1, 2, 5, 8], seed: 31)), .input(try random([1, 2, 5, 8], seed: 32))]
        },
        Case(label: "long: 600 keys in 3 blocks, causal, past, threads", attributes: AttentionAttributes(isCausal: true), outputCount: 3) {
            [.input(try random([1, 4, 40, 32], seed: 33)), .input(try random([1, 4, 40, 32], seed: 34)), .input(try random([1, 4, 40, 32], seed: 35)),
             .input(try random([40, 600], seed: 36, low: -1, high: 0)), .input(try random([1, 4, 560, 32], seed: 37)),
             .input(try random([1, 4, 560, 32], seed: 38))]
        },
        // onnxruntime refuses a mask broadcast along the queries.
        Case(label: "long: 700 keys, softcap, boolean mask [B, 1, 1, T]", attributes: AttentionAttributes(softcap: 5), evaluator: .onnxReference) {
            [.input(try random([2, 2, 33, 20], seed: 39, low: -4, high: 4)), .input(try random([2, 2, 700, 20], seed: 40, low: -4, high: 4)),
             .input(try random([2, 2, 700, 16], seed: 41)), .input(try mask([2, 1, 1, 700], seed: 42))]
        },
        Case(label: "float16", attributes: AttentionAttributes(isCausal: true), outputCount: 3) {
            [.input(try float16([2, 2, 4, 8], seed: 43)), .input(try float16([2, 2, 4, 8], seed: 44)), .input(try float16([2, 2, 4, 8], seed: 45)),
             .absent, .input(try float16([2, 2, 3, 8], seed: 46)), .input(try float16([2, 2, 3, 8], seed: 47))]
        },
        Case(label: "nonpad_kv_seqlen, causal (opset 24)", attributes: AttentionAttributes(isCausal: true), opset: 24) {
            [.input(try random([3, 2, 2, 8], seed: 48)), .input(try random([3, 2, 9, 8], seed: 49)), .input(try random([3, 2, 9, 8], seed: 50)),
             .absent, .absent, .absent, .input(try int64s([9, 5, 3]))]
        },
        Case(label: "window left 2 right 1 (opset 25)", attributes: AttentionAttributes(leftWindow: 2, rightWindow: 1), opset: 25) {
            [.input(try random([1, 2, 6, 8], seed: 51)), .input(try random([1, 2, 6, 8], seed: 52)), .input(try random([1, 2, 6, 8], seed: 53))]
        },
    ] + AttentionAttributes.ScoresOutput.allCases.map { mode in
        // In mode 2 onnxruntime writes the lowest float where the spec writes -inf.
        Case(label: "qk_matmul_output mode \(mode.rawValue), softcap, mask, past",
             attributes: AttentionAttributes(isCausal: true, softcap: 2, scoresOutput: mode), outputCount: 4,
             evaluator: mode == .biased ? .onnxReference : .onnxruntime) {
            [.input(try random([2, 2, 3, 8], seed: 54, low: -2, high: 2)), .input(try random([2, 2, 3, 8], seed: 55, low: -2, high: 2)),
             .input(try random([2, 2, 3, 8], seed: 56)), .input(try random([2, 1, 3, 7], seed: 57)), .input(try random([2, 2, 4, 8], seed: 58)),
             .input(try random([2, 2, 4, 8], seed: 59))]
        }
    }

    @Test(arguments: cases) func attention(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.attention(.attention(testCase.attributes)), try testCase.operands(),
                                                  outputCount: testCase.outputCount)
        let isHalf = inputs["x0"]?.dtype == .float16
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(threads: 2), evaluator: testCase.evaluator,
                                     tolerance: isHalf ? Tolerance(rtol: 2e-3, atol: 1e-3) : .float32, opset: testCase.opset, testCase.label)
    }

    static let rotaryCases: [(String, RotaryEmbeddingAttributes, [Int])] = [
        ("4-D, position_ids", RotaryEmbeddingAttributes(), [2, 3, 5, 8]),
        ("4-D, interleaved, rotary_embedding_dim 4", RotaryEmbeddingAttributes(interleaved: true, rotaryDimension: 4), [2, 3, 5, 8]),
        ("3-D, num_heads 3, rotary_embedding_dim 6", RotaryEmbeddingAttributes(rotaryDimension: 6, headCount: 3), [2, 5, 24]),
    ]

    @Test(arguments: 0..<3, [true, false]) func rotaryEmbedding(_ index: Int, _ withPositions: Bool) throws {
        let (label, attributes, shape) = Self.rotaryCases[index]
        let headSize = shape.count == 4 ? shape[3] : shape[2] / (attributes.headCount ?? 1)
        let half = (attributes.rotaryDimension ?? headSize) / 2, (batch, sequence) = (shape[0], shape.count == 4 ? shape[2] : shape[1])
        let cacheShape = withPositions ? [11, half] : [batch, sequence, half]
        var operands: [Operand] = [.input(try random(shape, seed: 60)), .input(try random(cacheShape, seed: 61)), .input(try random(cacheShape, seed: 62))]
        if withPositions { operands.append(.input(try int64s((0..<batch * sequence).map { ($0 * 7) % 11 }, shape: [batch, sequence]))) }
        let (graph, inputs) = try singleNodeGraph(.attention(.rotaryEmbedding(attributes)), operands)
        try expectMatchesOnnxRuntime(graph, inputs, opset: 23, "\(label), position_ids \(withPositions)")
    }
}
