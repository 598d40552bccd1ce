import Testing
import ZooGraph
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// float16 and float64 operands of kernels that compute in float32 (WidenedFloatKernel)
/// against onnxruntime, operands as run-time inputs and as constants.
/// Tolerance: float16 rtol and atol 2e-3 (one half ulp at 2 to 4, where these sums lie:
/// ours are rounded to half once, onnxruntime's maybe at each step); float64 rtol 1e-5 and
/// atol 1e-6, float32's precision over these short reductions, not float64's.
@Suite struct WidenedFloatVersusOnnxRuntimeTests {
    static let half = Tolerance(rtol: 2e-3, atol: 2e-3)
    static let double = Tolerance(rtol: 1e-5, atol: 1e-6)

    static func tensor(_ shape: [Int], seed: UInt64, _ dtype: DType) throws -> Tensor {
        let values = try random(shape, seed: seed).doubleValues
        return dtype == .float16 ? try Tensor(shape: shape, scalars: values.map { Float16($0) })
                                 : try Tensor(shape: shape, scalars: values)
    }

    static func check(_ op: Op, _ operands: [Operand], _ dtype: DType, outputCount: Int = 1, _ label: String) throws {
        let (graph, inputs) = try singleNodeGraph(op, operands, outputCount: outputCount)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []),
                                     tolerance: dtype == .float16 ? half : double, "\(label) \(dtype)")
    }

    @Test(arguments: [DType.float16, .float64]) func matMul(dtype: DType) throws {
        try Self.check(.matMul, [.input(Self.tensor([2, 3, 5, 16], seed: 1, dtype)), .input(Self.tensor([3, 16, 7], seed: 2, dtype))], dtype, "batched matmul")
        try Self.check(.matMul, [.input(Self.tensor([9, 16], seed: 3, dtype)), .constant(Self.tensor([16, 6], seed: 4, dtype))], dtype, "matmul constant weights")
    }

    @Test(arguments: [DType.float16, .float64]) func gemm(dtype: DType) throws {
        try Self.check(.gemm(GemmAttributes(alpha: 0.5, beta: 2, transB: true)),
                       [.input(Self.tensor([4, 12], seed: 5, dtype)), .constant(Self.tensor([6, 12], seed: 6, dtype)),
                        .constant(Self.tensor([6], seed: 7, dtype))], dtype, "gemm transB")
    }

    @Test func convFloat16() throws {
        try Self.check(.conv(ConvAttributes(pads: [1, 1, 1, 1])),
                       [.input(Self.tensor([2, 3, 7, 9], seed: 8, .float16)), .constant(Self.tensor([4, 3, 3, 3], seed: 9, .float16)),
                        .constant(Self.tensor([4], seed: 10, .float16))], .float16, "conv 3x3 pad 1")
        try Self.check(.conv(ConvAttributes(group: 2)),
                       [.input(Self.tensor([1, 4, 6, 6], seed: 11, .float16)), .input(Self.tensor([4, 2, 2, 2], seed: 12, .float16))],
                       .float16, "grouped conv, weights at run time")
    }

    @Test(arguments: [DType.float16, .float64]) func layerNormalization(dtype: DType) throws {
        try Self.check(.layerNormalization(axis: -1, epsilon: 1e-5),
                       [.input(Self.tensor([3, 5, 24], seed: 13, dtype)), .constant(Self.tensor([24], seed: 14, dtype)),
                        .constant(Self.tensor([24], seed: 15, dtype))], dtype, outputCount: 3, "layer normalization with statistics")
    }

    @Test func batchNormalizationFloat16() throws {
        let variance = try Tensor(shape: [3], scalars: [Float16(0.5), 1, 2])
        try Self.check(.batchNormalization(epsilon: 1e-5),
                       [.input(Self.tensor([2, 3, 4, 5], seed: 16, .float16)), .constant(Self.tensor([3], seed: 17, .float16)),
                        .constant(Self.tensor([3], seed: 18, .float16)), .constant(Self.tensor([3], seed: 19, .float16)),
                        .constant(variance)], .float16, "batch normalization")
    }

    @Test func gridSampleFloat16() throws {
        try Self.check(.spatial(.gridSample(GridSampleAttributes())),
                       [.input(Self.tensor([1, 2, 5, 6], seed: 23, .float16)), .input(Self.tensor([1, 3, 4, 2], seed: 24, .float16))],
                       .float16, "grid sample")
    }

    @Test(arguments: [DType.float16, .float64]) func loss(dtype: DType) throws {
        try Self.check(.loss(LossAttributes(kind: .softmaxCrossEntropy)),
                       [.input(Self.tensor([4, 6], seed: 25, dtype)), .input(int64s([0, 5, 2, 3]))], dtype, outputCount: 2,
                       "softmax cross-entropy with log-probabilities")
    }

    /// NaN stays NaN through the conversion; IsNaN's bool output is not converted.
    @Test func isNaNFloat64() throws {
        try Self.check(.isNaN, [.input(Tensor(shape: [5], scalars: [Double.nan, 1, -.infinity, 1e300, -0.0]))], .float64, "isnan")
    }

    /// onnxruntime has no float64 Conv on the CPU, and no op here in bfloat16: refused, named.
    @Test func refusesWhatOnnxRuntimeDoesNotTake() throws {
        let (conv, _) = try singleNodeGraph(.conv(ConvAttributes()), [.input(Self.tensor([1, 2, 4, 4], seed: 20, .float64)),
                                                                      .constant(Self.tensor([2, 2, 2, 2], seed: 21, .float64))])
        #expect(throws: RuntimeError.self) { try Session(graph: conv) }
        let halves = try random([2, 2], seed: 22).doubleValues.map { BFloat16(fromDouble: $0) }
        let (matMul, _) = try singleNodeGraph(.matMul, [.input(Tensor(shape: [2, 2], scalars: halves)), .input(Tensor(shape: [2, 2], scalars: halves))])
        #expect(throws: RuntimeError.self) { try Session(graph: matMul) }
    }
}
