import Testing
import ZooGraph
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Every kernel against onnxruntime on seeded random inputs, edge shapes included: batch 1
/// and > 1, odd spatial sizes, padding beyond kernel/2, groups, dilation, ceil_mode,
/// broadcasting. Passes are off so each case exercises the kernel itself.
@Suite struct KernelVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: Op
        let operands: @Sendable () throws -> [Operand]
        var outputCount = 1
        /// onnxruntime refuses a few valid variants (LSTM layout 1, even LRN sizes, and it
        /// crashes on LayerNormalization with an omitted trailing bias): those use onnx's
        /// ReferenceEvaluator.
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        /// The kernel the case must compile to, where the choice is what it tests.
        var kernel: String?
        /// Where a case needs another tolerance than the suite's, the case says why.
        var tolerance = Tolerance.float32
        var testDescription: String { label }
    }

    static let convolutions: [Case] = [
        Case(label: "conv 3x3 pad 1, batch 2, odd size", op: .conv(ConvAttributes(pads: [1, 1, 1, 1]))) {
            [.input(try random([2, 3, 7, 9], seed: 1)), .constant(try random([4, 3, 3, 3], seed: 2)), .constant(try random([4], seed: 3))]
        },
        Case(label: "conv stride 2, asymmetric pads larger than kernel/2", op: .conv(ConvAttributes(strides: [2, 2], pads: [2, 0, 1, 2]))) {
            [.input(try random([1, 2, 8, 7], seed: 4)), .constant(try random([3, 2, 3, 3], seed: 5))]
        },
        Case(label: "conv groups 2, dilation 2", op: .conv(ConvAttributes(pads: [2, 2, 2, 2], dilations: [2, 2], group: 2))) {
            [.input(try random([2, 4, 9, 9], seed: 6)), .constant(try random([6, 2, 3, 3], seed: 7)), .constant(try random([6], seed: 8))]
        },
        Case(label: "depthwise conv", op: .conv(ConvAttributes(pads: [1, 1, 1, 1], group: 8))) {
            [.input(try random([1, 8, 6, 6], seed: 9)), .constant(try random([8, 1, 3, 3], seed: 10))]
        },
        Case(label: "conv auto_pad SAME_UPPER stride 2", op: .conv(ConvAttributes(strides: [2, 2], autoPad: .sameUpper))) {
            [.input(try random([1, 3, 7, 8], seed: 11)), .constant(try random([5, 3, 4, 4], seed: 12))]
        },
        Case(label: "conv 1-D", op: .conv(ConvAttributes(pads: [1, 2]))) {
            [.input(try random([3, 4, 11], seed: 13)), .constant(try random([5, 4, 3], seed: 14)), .constant(try random([5], seed: 15))]
        },
        Case(label: "conv with weights as a run-time input", op: .conv(ConvAttributes())) {
            [.input(try random([1, 2, 5, 5], seed: 16)), .input(try random([3, 2, 2, 2], seed: 17))]
        },
        // 4.7M multiply-adds: above SmallWork's limit, so it splits over the threads (the
        // cases above all run single-threaded).
        Case(label: "conv large enough to run on all threads", op: .conv(ConvAttributes(pads: [1, 1, 1, 1]))) {
            [.input(try random([1, 16, 32, 32], seed: 18)), .constant(try random([32, 16, 3, 3], seed: 19))]
        },
        // One input channel: columns in runs of 32, then one or two runs of 16 that may
        // overlap the last; output channels in blocks of 6.
        Case(label: "one-channel conv, 28 columns, 6 filters and bias", op: .conv(ConvAttributes()), operands: {
            [.input(try random([3, 1, 32, 32], seed: 150)), .constant(try random([6, 1, 5, 5], seed: 151)),
             .constant(try random([6], seed: 152))]
        }, kernel: "SingleChannelConvolutionKernel"),
        Case(label: "one-channel conv, asymmetric pads larger than kernel/2, 10 columns, 13 filters",
             op: .conv(ConvAttributes(pads: [2, 0, 1, 3])), operands: {
            [.input(try random([2, 1, 7, 9], seed: 153)), .constant(try random([13, 1, 3, 3], seed: 154)),
             .constant(try random([13], seed: 155))]
        }, kernel: "SingleChannelConvolutionKernel"),
        Case(label: "one-channel conv, 49 columns, 4x3 kernel, run-time weights", op: .conv(ConvAttributes()), operands: {
            [.input(try random([1, 1, 10, 51], seed: 156)), .input(try random([7, 1, 4, 3], seed: 157))]
        }, kernel: "SingleChannelConvolutionKernel"),
        Case(label: "one-channel conv, exactly 16 columns", op: .conv(ConvAttributes(pads: [0, 1, 0, 1])), operands: {
            [.input(try random([2, 1, 5, 28], seed: 158)), .constant(try random([2, 1, 3, 15], seed: 159))]
        }, kernel: "SingleChannelConvolutionKernel"),
        Case(label: "one-channel conv, 44 columns: a run of 32, one of 16 overlapping it", op: .conv(ConvAttributes(pads: [0, 1, 0, 1])), operands: {
            [.input(try random([1, 1, 4, 56], seed: 162)), .constant(try random([3, 1, 3, 15], seed: 163))]
        }, kernel: "SingleChannelConvolutionKernel"),
        // 7 images of 56 rows split over the threads: a share starts inside an image.
        Case(label: "one-channel conv large enough to run on all threads", op: .conv(ConvAttributes(pads: [2, 2, 2, 2])), operands: {
            [.input(try random([7, 1, 60, 60], seed: 160)), .constant(try random([16, 1, 5, 5], seed: 161))]
        }, kernel: "SingleChannelConvolutionKernel"),
        // A row of 2100 columns needs a 5 x 2100 tile, more than the kernel's stack tile.
        Case(label: "one-channel conv too wide for the tile goes to oneDNN", op: .conv(ConvAttributes()), operands: {
            [.input(try random([1, 1, 6, 2100], seed: 164)), .constant(try random([2, 1, 5, 5], seed: 165))]
        }, kernel: "ConvolutionKernel"),
    ]

    static let pools: [Case] = [
        Case(label: "max pool 3x3/2 ceil_mode, odd size", op: .maxPool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], ceilMode: true))) {
            [.input(try random([2, 3, 8, 9], seed: 20))]
        },
        Case(label: "max pool pads and dilation", op: .maxPool(PoolAttributes(kernelShape: [3, 3], strides: [1, 2], pads: [1, 2, 2, 1], dilations: [2, 1]))) {
            [.input(try random([1, 2, 7, 7], seed: 21))]
        },
        Case(label: "average pool count_include_pad", op: .averagePool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true))) {
            [.input(try random([2, 2, 7, 6], seed: 22))]
        },
        Case(label: "average pool excluding pads, ceil_mode", op: .averagePool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2], pads: [1, 0, 1, 0], ceilMode: true))) {
            [.input(try random([1, 3, 5, 5], seed: 23))]
        },
        Case(label: "average pool 1-D", op: .averagePool(PoolAttributes(kernelShape: [3], strides: [2]))) {
            [.input(try random([2, 3, 10], seed: 24))]
        },
        Case(label: "global average pool", op: .globalAveragePool) { [.input(try random([2, 5, 7, 3], seed: 25))] },
        Case(label: "global max pool", op: .globalMaxPool) { [.input(try random([2, 5, 4, 4], seed: 26))] },
        Case(label: "LRN size 5", op: .lrn(LRNAttributes(size: 5, alpha: 0.001, beta: 0.75, bias: 2))) {
            [.input(try random([2, 7, 3, 3], seed: 27))]
        },
        Case(label: "LRN even size", op: .lrn(LRNAttributes(size: 4)), operands: {
            [.input(try random([1, 6, 2, 5], seed: 28))]
        }, evaluator: .onnxReference),
        Case(label: "batch normalization", op: .batchNormalization(epsilon: 1e-3)) {
            [.input(try random([2, 3, 4, 5], seed: 29)), .constant(try random([3], seed: 30)), .constant(try random([3], seed: 31)),
             .constant(try random([3], seed: 32)), .constant(try random([3], seed: 33, low: 0.5, high: 2))]
        },
    ]

    static let dense: [Case] = [
        Case(label: "matmul 2-D constant weights", op: .matMul, operands: {
            [.input(try random([9, 7], seed: 40)), .constant(try random([7, 3], seed: 41))]
        }, kernel: "MatMulKernel"),  // 9 rows: one more than the matrix-vector kernel takes
        Case(label: "matmul batched rows × matrix", op: .matMul) { [.input(try random([2, 3, 7], seed: 42)), .constant(try random([7, 4], seed: 43))] },
        Case(label: "matmul batched × batched", op: .matMul) { [.input(try random([2, 3, 4, 5], seed: 44)), .input(try random([2, 3, 5, 6], seed: 45))] },
        Case(label: "matmul broadcast batch", op: .matMul) { [.input(try random([2, 1, 4, 5], seed: 46)), .input(try random([3, 5, 2], seed: 47))] },
        Case(label: "matmul vector × matrix", op: .matMul) { [.input(try random([5], seed: 48)), .input(try random([5, 3], seed: 49))] },
        Case(label: "matmul matrix × vector", op: .matMul) { [.input(try random([4, 5], seed: 50)), .input(try random([5], seed: 51))] },
        Case(label: "gemm transB with bias", op: .gemm(GemmAttributes(transB: true)), operands: {
            [.input(try random([3, 6], seed: 52)), .constant(try random([4, 6], seed: 53)), .constant(try random([4], seed: 54))]
        }, kernel: "MatrixVectorKernel"),
        // Up to 4 rows against constant weights, or 8 against weights up to 1 MiB, run as
        // matrix-vector products (the case above too): weights read in place as [N, K],
        // transposed once from [K, N], split over the threads above SmallWork's limit
        // (600·700 = 420k weights). Up to 4 rows go four weight rows at a time, 5 to 8 two at
        // a time (19 rows: a remainder).
        Case(label: "matmul 4 rows, constant [K, N] weights", op: .matMul, operands: {
            [.input(try random([4, 37], seed: 62)), .constant(try random([37, 19], seed: 63))]
        }, kernel: "MatrixVectorKernel"),
        Case(label: "matmul 6 rows, constant [K, N] weights", op: .matMul, operands: {
            [.input(try random([6, 37], seed: 67)), .constant(try random([37, 19], seed: 68))]
        }, kernel: "MatrixVectorKernel"),
        Case(label: "matmul 5 rows, weights over 1 MiB", op: .matMul, operands: {
            [.input(try random([5, 520], seed: 72)), .constant(try random([520, 520], seed: 73))]
        }, kernel: "MatMulKernel"),
        Case(label: "gemm 2 rows on all threads, transB, bias", op: .gemm(GemmAttributes(transB: true)), operands: {
            [.input(try random([2, 700], seed: 64)), .constant(try random([600, 700], seed: 65)), .constant(try random([600], seed: 66))]
        }, kernel: "MatrixVectorKernel"),
        // 512·512 weights: exactly 1 MiB, and SmallWork's limit, so on all threads.
        Case(label: "gemm 8 rows on all threads, transB, bias", op: .gemm(GemmAttributes(transB: true)), operands: {
            [.input(try random([8, 512], seed: 69)), .constant(try random([512, 512], seed: 70)), .constant(try random([512], seed: 71))]
        }, kernel: "MatrixVectorKernel"),
        Case(label: "gemm transA alpha beta", op: .gemm(GemmAttributes(alpha: 0.5, beta: 2, transA: true))) {
            [.input(try random([6, 3], seed: 55)), .constant(try random([6, 4], seed: 56)), .constant(try random([1, 4], seed: 57))]
        },
        Case(label: "gemm run-time B, alpha", op: .gemm(GemmAttributes(alpha: 3))) {
            [.input(try random([2, 5], seed: 58)), .input(try random([5, 3], seed: 59))]
        },
    ]

    static let elementwise: [Case] = [
        Case(label: "add broadcast", op: .add) { [.input(try random([2, 3, 4], seed: 60)), .input(try random([3, 1], seed: 61))] },
        Case(label: "sub broadcast both ways", op: .sub) { [.input(try random([2, 1, 5], seed: 62)), .input(try random([3, 1], seed: 63))] },
        Case(label: "mul by scalar", op: .mul) { [.input(try random([37], seed: 64)), .constant(Tensor(scalar: Float(3)))] },
        Case(label: "div long rows", op: .div) { [.input(try random([3, 70], seed: 65)), .input(try random([70], seed: 66, low: 0.5, high: 2))] },
        Case(label: "pow by 2", op: .pow) { [.input(try random([2, 17], seed: 67)), .constant(Tensor(scalar: Float(2)))] },
        Case(label: "pow fractional", op: .pow) { [.input(try random([19], seed: 68, low: 0.1, high: 3)), .input(try random([19], seed: 69))] },
        Case(label: "add int64", op: .add) { [.input(try int64s([1, 2, 3, 4, 5, 6], shape: [2, 3])), .input(try int64s([10, 20, 30]))] },
        Case(label: "equal int64", op: .equal) { [.input(try int64s([1, 2, 3, 4])), .input(try int64s([1, 0, 3, 0]))] },
        Case(label: "relu", op: .relu) { [.input(try random([3, 33], seed: 70))] },
        Case(label: "sigmoid", op: .sigmoid) { [.input(try random([3, 33], seed: 71, low: -12, high: 12))] },
        Case(label: "tanh", op: .tanh) { [.input(try random([3, 33], seed: 72, low: -6, high: 6))] },
        Case(label: "sigmoid and tanh saturating (exp's clamps)", op: .sigmoid) {
            [.input(try floats([-1e4, -200, -88, -87.2, -30, -1, 0, 1, 30, 87.2, 88, 88.8, 200, 1e4, -0.5, 0.5, 3], shape: [17]))]
        },
        Case(label: "tanh saturating (exp's clamps)", op: .tanh) {
            [.input(try floats([-1e4, -200, -45, -44, -30, -1, 0, 1, 30, 44, 45, 200, 1e4, -0.5, 0.5, 3, 9], shape: [17]))]
        },
        Case(label: "erf", op: .erf) { [.input(try random([3, 33], seed: 73, low: -4, high: 4))] },
        Case(label: "sqrt", op: .sqrt) { [.input(try random([50], seed: 74, low: 0, high: 9))] },
        Case(label: "exp", op: .exp) { [.input(try random([50], seed: 75, low: -20, high: 20))] },
        Case(label: "neg", op: .neg) { [.input(try random([5, 5], seed: 76))] },
        // Neg is y = −x, so its zeros' signs are defined; so are NaN and the infinities.
        Case(label: "neg of signed zeros, NaN and infinities", op: .neg, operands: {
            [.input(try floats([0, -0.0, .nan, .infinity, -.infinity, 1e-45], shape: [6]))]
        }, tolerance: Tolerance(rtol: 0, atol: 0, signedZeros: true)),
        Case(label: "where with broadcasting", op: .where) {
            [.input(try Tensor(shape: [2, 1], scalars: [true, false])), .input(try random([2, 3], seed: 77)), .input(try random([3], seed: 78))]
        },
        Case(label: "cast float to int64", op: .cast(to: .int64)) { [.input(try random([9], seed: 79, low: -5, high: 5))] },
        Case(label: "cast int64 to float", op: .cast(to: .float32)) { [.input(try int64s([-3, 0, 7]))] },
        Case(label: "cast bool to float", op: .cast(to: .float32)) { [.input(try Tensor(shape: [2], scalars: [true, false]))] },
    ]

    static let shaping: [Case] = [
        Case(label: "softmax last axis, long row", op: .softmax(axis: -1)) { [.input(try random([3, 100], seed: 80, low: -10, high: 10))] },
        Case(label: "softmax middle axis", op: .softmax(axis: 1)) { [.input(try random([2, 5, 3], seed: 81))] },
        Case(label: "layer norm", op: .layerNormalization(axis: -1, epsilon: 1e-5)) {
            [.input(try random([2, 3, 20], seed: 82)), .constant(try random([20], seed: 83)), .constant(try random([20], seed: 84))]
        },
        Case(label: "layer norm over two axes, no bias", op: .layerNormalization(axis: 1, epsilon: 1e-3), operands: {
            [.input(try random([2, 3, 4], seed: 85)), .constant(try random([3, 4], seed: 86)), .absent]
        }, evaluator: .onnxReference),
        Case(label: "concat axis 1", op: .concat(axis: 1)) { [.input(try random([2, 3, 2], seed: 87)), .input(try random([2, 1, 2], seed: 88)), .constant(try random([2, 2, 2], seed: 89))] },
        Case(label: "gather rows, negative index", op: .gather(axis: 0)) { [.constant(try random([6, 4], seed: 90)), .input(try int64s([0, 5, -1, 2, 2, 3], shape: [2, 3]))] },
        Case(label: "gather axis 1", op: .gather(axis: 1)) { [.input(try random([2, 5, 3], seed: 91)), .constant(try int64s([4, 0]))] },
        Case(label: "transpose 4-D", op: .transpose(perm: [0, 2, 1, 3])) { [.input(try random([2, 3, 4, 5], seed: 92))] },
        Case(label: "transpose default", op: .transpose(perm: nil)) { [.input(try random([3, 4, 5], seed: 93))] },
        Case(label: "slice steps and negative bounds", op: .slice) {
            [.input(try random([5, 6, 7], seed: 94)), .constant(try int64s([1, -1, 0])), .constant(try int64s([100, -5, 7])),
             .constant(try int64s([0, 1, 2])), .constant(try int64s([2, -1, 3]))]
        },
        Case(label: "expand", op: .expand) { [.input(try random([3, 1], seed: 95)), .constant(try int64s([2, 3, 4]))] },
        Case(label: "reshape with 0 and -1", op: .reshape()) { [.input(try random([2, 3, 4], seed: 96)), .constant(try int64s([0, -1]))] },
        Case(label: "flatten axis 2", op: .flatten(axis: 2)) { [.input(try random([2, 3, 4, 5], seed: 97))] },
        Case(label: "squeeze", op: .squeeze) { [.input(try random([2, 1, 3, 1], seed: 98)), .constant(try int64s([1]))] },
        Case(label: "unsqueeze", op: .unsqueeze) { [.input(try random([2, 3], seed: 99)), .constant(try int64s([0, 3]))] },
        Case(label: "reduce max over axis 1", op: .reduce(.max, ReduceAttributes(axes: [1], keepDims: false))) { [.input(try random([2, 5, 3], seed: 100))] },
        Case(label: "reduce mean keepdims", op: .reduce(.mean, ReduceAttributes(axes: [-1, 0], keepDims: true))) { [.input(try random([2, 5, 3], seed: 101))] },
        Case(label: "reduce mean all axes", op: .reduce(.mean, ReduceAttributes())) { [.input(try random([4, 3], seed: 102))] },
        Case(label: "shape", op: .shape(start: 1)) { [.input(try random([2, 3, 4], seed: 103))] },
        Case(label: "constant of shape", op: .constantOfShape(value: try! floats([1.5], shape: [1]))) { [.constant(try int64s([2, 3]))] },
        Case(label: "identity", op: .identity) { [.input(try random([4], seed: 104))] },
        Case(label: "dropout at inference", op: .dropout) { [.input(try random([4], seed: 105))] },
    ]

    static let recurrent: [Case] = [
        Case(label: "LSTM forward, bias", op: .lstm(LSTMAttributes(hiddenSize: 5)), operands: {
            [.input(try random([4, 2, 3], seed: 110)), .constant(try random([1, 20, 3], seed: 111)), .constant(try random([1, 20, 5], seed: 112)),
             .constant(try random([1, 40], seed: 113))]
        }, outputCount: 3),
        Case(label: "LSTM bidirectional with initial states", op: .lstm(LSTMAttributes(hiddenSize: 17, direction: .bidirectional)), operands: {
            [.input(try random([5, 3, 6], seed: 114)), .constant(try random([2, 68, 6], seed: 115)), .constant(try random([2, 68, 17], seed: 116)),
             .constant(try random([2, 136], seed: 117)), .absent, .input(try random([2, 3, 17], seed: 118)), .input(try random([2, 3, 17], seed: 119))]
        }, outputCount: 3),
        Case(label: "LSTM reverse, peepholes", op: .lstm(LSTMAttributes(hiddenSize: 4, direction: .reverse)), operands: {
            [.input(try random([3, 1, 2], seed: 120)), .constant(try random([1, 16, 2], seed: 121)), .constant(try random([1, 16, 4], seed: 122)),
             .constant(try random([1, 32], seed: 123)), .absent, .absent, .absent, .constant(try random([1, 12], seed: 124))]
        }, outputCount: 3),
        Case(label: "LSTM clip, batch 5, hidden 33, bidirectional", op: .lstm(LSTMAttributes(hiddenSize: 33, direction: .bidirectional, clip: 0.7)), operands: {
            [.input(try random([6, 5, 8], seed: 128)), .constant(try random([2, 132, 8], seed: 129)), .constant(try random([2, 132, 33], seed: 130)),
             .constant(try random([2, 264], seed: 131))]
        }, outputCount: 3),
        // 3·4·161·161 = 311k multiply-adds per step: above SmallWork's limit, so the steps
        // run on a team of all threads, each owning a slice of the 161 hidden units (not a
        // multiple of 16, so R's rows are padded).
        Case(label: "LSTM on all threads, bidirectional, peepholes", op: .lstm(LSTMAttributes(hiddenSize: 161, direction: .bidirectional)), operands: {
            [.input(try random([4, 3, 10], seed: 132)), .constant(try random([2, 644, 10], seed: 133)),
             .constant(try random([2, 644, 161], seed: 134, low: -0.1, high: 0.1)), .constant(try random([2, 1288], seed: 135)),
             .absent, .input(try random([2, 3, 161], seed: 136)), .input(try random([2, 3, 161], seed: 137)),
             .constant(try random([2, 483], seed: 138))]
        }, outputCount: 3),
        Case(label: "LSTM batch-first layout", op: .lstm(LSTMAttributes(hiddenSize: 3, direction: .bidirectional, layout: 1)), operands: {
            [.input(try random([2, 4, 3], seed: 125)), .constant(try random([2, 12, 3], seed: 126)), .constant(try random([2, 12, 3], seed: 127))]
        }, outputCount: 3, evaluator: .onnxReference),
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(testCase.op, try testCase.operands(), outputCount: testCase.outputCount)
        let options = SessionOptions(passes: [])
        try expectMatchesOnnxRuntime(graph, inputs, options: options, evaluator: testCase.evaluator, tolerance: testCase.tolerance,
                                     testCase.label)
        if let kernel = testCase.kernel {
            let summary = try Session(graph: graph, options: options).summary(inputShapes: inputs.mapValues(\.shape))
            #expect(summary.kernels == [kernel], "\(testCase.label)")
        }
    }

    @Test(arguments: convolutions) func convolution(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: pools) func poolingAndNormalization(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: dense) func matMulAndGemm(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: elementwise) func elementwiseOps(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: shaping) func shapingOps(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: recurrent) func lstm(_ testCase: Case) throws { try Self.check(testCase) }
}
