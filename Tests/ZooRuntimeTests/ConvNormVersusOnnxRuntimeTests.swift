import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The convolution, pooling and normalisation variants against onnxruntime on seeded random
/// inputs, over ranks (1-D to 3-D), groups, pads, strides, dilations and the optional
/// outputs; passes off, so each case exercises the kernel itself. Tolerance: the suite's
/// float32 one (Tolerance.float32).
@Suite struct ConvNormVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: Op
        var opset = ONNXModel.defaultOpset
        var outputCount = 1
        /// The kernel the case must compile to, where the choice is what it tests.
        var kernel: String?
        let operands: @Sendable () throws -> [Operand]
        var testDescription: String { label }
    }

    static func transposed(_ attributes: ConvTransposeAttributes) -> Op { .convTranspose(attributes) }

    static let transposedConvolutions: [Case] = [
        Case(label: "2-D stride 2, pads 1, bias, batch 2", op: transposed(.init(strides: [2, 2], pads: [1, 1, 1, 1]))) {
            [.input(try random([2, 3, 5, 6], seed: 1)), .constant(try random([3, 4, 3, 3], seed: 2)), .constant(try random([4], seed: 3))]
        },
        Case(label: "1-D stride 2, output_padding 1", op: transposed(.init(strides: [2], outputPadding: [1]))) {
            [.input(try random([3, 2, 7], seed: 4)), .constant(try random([2, 5, 3], seed: 5))]
        },
        Case(label: "3-D strides 1,2,2, dilation 2 on depth, asymmetric pads",
             op: transposed(.init(strides: [1, 2, 2], pads: [1, 0, 1, 0, 1, 2], dilations: [2, 1, 1]))) {
            [.input(try random([1, 2, 4, 5, 3], seed: 6)), .constant(try random([2, 3, 3, 3, 2], seed: 7)), .constant(try random([3], seed: 8))]
        },
        Case(label: "groups 2, dilations 2, bias", op: transposed(.init(strides: [2, 1], dilations: [2, 2], group: 2))) {
            [.input(try random([2, 4, 5, 5], seed: 9)), .constant(try random([4, 3, 3, 3], seed: 10)), .constant(try random([6], seed: 11))]
        },
        Case(label: "depthwise (group = channels), stride 2", op: transposed(.init(strides: [2, 2], pads: [1, 1, 0, 0], group: 6))) {
            [.input(try random([1, 6, 4, 7], seed: 12)), .constant(try random([6, 1, 4, 4], seed: 13))]
        },
        Case(label: "output_shape, stride 3", op: transposed(.init(strides: [3, 2], outputShape: [10, 8]))) {
            [.input(try random([1, 2, 3, 3], seed: 14)), .constant(try random([2, 2, 3, 3], seed: 15))]
        },
        Case(label: "auto_pad SAME_UPPER, stride 2", op: transposed(.init(strides: [2, 2], autoPad: .sameUpper))) {
            [.input(try random([1, 2, 4, 5], seed: 16)), .constant(try random([2, 3, 3, 3], seed: 17))]
        },
        Case(label: "auto_pad SAME_LOWER, stride 2", op: transposed(.init(strides: [2, 2], autoPad: .sameLower))) {
            [.input(try random([1, 2, 4, 5], seed: 18)), .constant(try random([2, 3, 3, 3], seed: 19))]
        },
        Case(label: "weights and bias as run-time inputs", op: transposed(.init(strides: [2, 2], outputPadding: [1, 0]))) {
            [.input(try random([2, 3, 4, 4], seed: 20)), .input(try random([3, 2, 2, 3], seed: 21)), .input(try random([2], seed: 22))]
        },
        Case(label: "large enough to run on all threads", op: transposed(.init(strides: [2, 2], pads: [1, 1, 1, 1]))) {
            [.input(try random([1, 32, 24, 24], seed: 23)), .constant(try random([32, 16, 4, 4], seed: 24))]
        },
    ]

    /// Conv on oneDNN beyond 2-D, grouped and depthwise.
    static let convolutions: [Case] = [
        Case(label: "conv 3-D, strides and pads, bias", op: .conv(ConvAttributes(strides: [1, 2, 2], pads: [1, 1, 1, 1, 0, 1]))) {
            [.input(try random([2, 3, 5, 6, 7], seed: 80)), .constant(try random([4, 3, 3, 3, 3], seed: 81)), .constant(try random([4], seed: 82))]
        },
        Case(label: "conv 3-D grouped, dilated", op: .conv(ConvAttributes(dilations: [2, 1, 2], group: 2))) {
            [.input(try random([1, 4, 6, 5, 6], seed: 83)), .constant(try random([6, 2, 2, 2, 2], seed: 84))]
        },
        Case(label: "conv 1-D depthwise, stride 2", op: .conv(ConvAttributes(strides: [2], pads: [2, 2], group: 6))) {
            [.input(try random([2, 6, 15], seed: 85)), .constant(try random([6, 1, 5], seed: 86)), .constant(try random([6], seed: 87))]
        },
    ]

    static let pools: [Case] = [
        Case(label: "max pool 1-D on oneDNN", op: .maxPool(PoolAttributes(kernelShape: [3], strides: [2], pads: [1, 1])), kernel: "DNNLPoolingKernel") {
            [.input(try random([2, 3, 12], seed: 42))]
        },
        Case(label: "average pool 3-D dilated (ours)", op: .averagePool(PoolAttributes(kernelShape: [2, 2, 2], dilations: [2, 1, 2])),
             opset: 19, kernel: "PoolingKernel") {
            [.input(try random([1, 2, 5, 4, 5], seed: 43))]
        },
        Case(label: "global average pool 3-D", op: .globalAveragePool) { [.input(try random([2, 3, 4, 5, 6], seed: 44))] },
        Case(label: "global max pool 1-D", op: .globalMaxPool) { [.input(try random([2, 3, 17], seed: 45))] },
        Case(label: "max pool 3-D pads, dilation, ceil_mode",
             op: .maxPool(PoolAttributes(kernelShape: [2, 3, 2], strides: [2, 1, 2], pads: [1, 1, 0, 0, 1, 1], dilations: [1, 2, 1], ceilMode: true))) {
            [.input(try random([2, 3, 5, 7, 6], seed: 30))]
        },
        Case(label: "average pool 3-D count_include_pad", op: .averagePool(PoolAttributes(kernelShape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], countIncludePad: true))) {
            [.input(try random([1, 2, 6, 5, 7], seed: 31))]
        },
        Case(label: "average pool 3-D excluding pads", op: .averagePool(PoolAttributes(kernelShape: [2, 3, 2], pads: [1, 0, 1, 0, 2, 1])),
             kernel: "DNNLPoolingKernel") {
            [.input(try random([2, 2, 4, 5, 4], seed: 32))]
        },
        Case(label: "LpPool p 2, 2-D pads and strides", op: .lpPool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1]), p: 2)) {
            [.input(try random([2, 3, 7, 6], seed: 33))]
        },
        Case(label: "LpPool p 3, 1-D", op: .lpPool(PoolAttributes(kernelShape: [3], strides: [2]), p: 3)) {
            [.input(try random([2, 4, 11], seed: 34))]
        },
        Case(label: "LpPool p 1, 3-D, auto_pad SAME_UPPER", op: .lpPool(PoolAttributes(kernelShape: [2, 2, 2], autoPad: .sameUpper), p: 1)) {
            [.input(try random([1, 2, 3, 4, 5], seed: 35))]
        },
        Case(label: "max pool indices 2-D, row-major", op: .maxPool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1])), outputCount: 2) {
            [.input(try random([2, 3, 7, 8], seed: 36))]
        },
        Case(label: "max pool indices 2-D, column-major (storage_order 1)",
             op: .maxPool(PoolAttributes(kernelShape: [2, 3], strides: [2, 1], storageOrder: 1)), outputCount: 2) {
            [.input(try random([2, 2, 6, 5], seed: 37))]
        },
        Case(label: "max pool indices 3-D", op: .maxPool(PoolAttributes(kernelShape: [2, 2, 2], strides: [2, 2, 2])), outputCount: 2,
             kernel: "PoolingKernel") {
            [.input(try random([1, 3, 4, 6, 5], seed: 38))]
        },
        Case(label: "max pool indices 1-D with dilation", op: .maxPool(PoolAttributes(kernelShape: [3], dilations: [2])), outputCount: 2) {
            [.input(try random([2, 3, 12], seed: 39))]
        },
        Case(label: "max unpool 2-D, default output shape", op: .maxUnpool(MaxUnpoolAttributes(kernelShape: [2, 2], strides: [2, 2]))) {
            // Indices of a 2x2/2 max pool over [1, 2, 4, 4]: one position per window.
            [.input(try random([1, 2, 2, 2], seed: 40)), .input(try int64s([0, 3, 9, 14, 17, 22, 24, 31], shape: [1, 2, 2, 2]))]
        },
        Case(label: "max unpool 1-D, constant output_shape larger than the default",
             op: .maxUnpool(MaxUnpoolAttributes(kernelShape: [2], strides: [2]))) {
            [.input(try random([2, 1, 3], seed: 41)), .input(try int64s([1, 2, 5, 7, 9, 13], shape: [2, 1, 3])),
             .constant(try int64s([2, 1, 7]))]
        },
    ]

    static let normalizations: [Case] = [
        Case(label: "instance normalization 2-D", op: .normalization(.instance(epsilon: 1e-5))) {
            [.input(try random([2, 3, 5, 7], seed: 50)), .constant(try random([3], seed: 51)), .constant(try random([3], seed: 52))]
        },
        Case(label: "instance normalization 1-D, long rows", op: .normalization(.instance(epsilon: 1e-3))) {
            [.input(try random([2, 4, 301], seed: 53, low: 2, high: 5)), .input(try random([4], seed: 54)), .input(try random([4], seed: 55))]
        },
        Case(label: "instance normalization 3-D", op: .normalization(.instance(epsilon: 1e-5))) {
            [.input(try random([1, 2, 3, 4, 5], seed: 56)), .constant(try random([2], seed: 57)), .constant(try random([2], seed: 58))]
        },
        Case(label: "group normalization per channel (opset 21)",
             op: .normalization(.group(groupCount: 3, epsilon: 1e-5, perGroupAffine: false)), opset: 21) {
            [.input(try random([2, 6, 4, 5], seed: 59)), .constant(try random([6], seed: 60)), .constant(try random([6], seed: 61))]
        },
        Case(label: "group normalization per group (opset 18)",
             op: .normalization(.group(groupCount: 2, epsilon: 1e-4, perGroupAffine: true)), opset: 18) {
            [.input(try random([3, 4, 7], seed: 62)), .constant(try random([2], seed: 63)), .constant(try random([2], seed: 64))]
        },
        Case(label: "RMS normalization, last axis", op: .normalization(.rms(axis: -1, epsilon: 1e-5)), opset: 23) {
            [.input(try random([2, 3, 37], seed: 65)), .constant(try random([37], seed: 66))]
        },
        Case(label: "RMS normalization from axis 1", op: .normalization(.rms(axis: 1, epsilon: 1e-6)), opset: 23) {
            [.input(try random([3, 4, 5], seed: 67)), .input(try random([4, 5], seed: 68))]
        },
        Case(label: "mean-variance normalization, default axes", op: .normalization(.meanVariance(axes: [0, 2, 3]))) {
            [.input(try random([2, 3, 4, 5], seed: 69))]
        },
        Case(label: "mean-variance normalization over axis 1", op: .normalization(.meanVariance(axes: [1]))) {
            [.input(try random([3, 6, 2], seed: 70))]
        },
        Case(label: "layer normalization with Mean and InvStdDev", op: .layerNormalization(axis: 1, epsilon: 1e-5), outputCount: 3) {
            [.input(try random([3, 4, 5], seed: 71)), .constant(try random([4, 5], seed: 72)), .constant(try random([4, 5], seed: 73))]
        },
        // 35 positions: two runs of 16, then 3 one by one.
        Case(label: "LRN size 3 over planes of 35", op: .lrn(LRNAttributes(size: 3, alpha: 0.01, beta: 0.6, bias: 1.5))) {
            [.input(try random([2, 9, 5, 7], seed: 76))]
        },
        Case(label: "layer normalization, rows of 40, Mean only", op: .layerNormalization(axis: -1, epsilon: 1e-5), outputCount: 2) {
            [.input(try random([5, 40], seed: 74)), .constant(try random([40], seed: 75))]
        },
    ]

    /// Also reads the written file back: the same graph (export, then import).
    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(testCase.op, try testCase.operands(), outputCount: testCase.outputCount)
        let written = try ONNXModel(graph: graph, opsetVersion: testCase.opset).serialized()
        #expect(try ONNXModel(serialized: written).graph == graph, "\(testCase.label): read back")
        let ours = try Session(graph: graph, options: SessionOptions(passes: [])).run(inputs)
        let reference = try OnnxRuntimeReference.run(graph, inputs, opset: testCase.opset)
        expectClose(ours, reference, testCase.label)
        if let kernel = testCase.kernel {
            let summary = try Session(graph: graph, options: SessionOptions(passes: [])).summary(inputShapes: inputs.mapValues(\.shape))
            #expect(summary.kernels == [kernel], "\(testCase.label)")
        }
    }

    @Test(arguments: convolutions) func convolution(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: transposedConvolutions) func convTranspose(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: pools) func poolingVariants(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: normalizations) func normalization(_ testCase: Case) throws { try Self.check(testCase) }
}
