import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// The cost-per-layer-type figures of REFERENCE.md (n = d = 1000, k = 3) and the rule of
/// every op family, on graphs small enough to count by hand.
@Suite struct LayerCostTests {
    static let n = 1000, d = 1000

    /// softmax(QKᵀ)V: QKᵀ and AV are n²·d MACs each, 4·10⁹ FLOPs together.
    @Test func selfAttentionProducts() throws {
        var graph = TestGraph("attention")
        let q = try graph.input("q", [.fixed(Self.n), .fixed(Self.d)])
        let k = try graph.input("k", [.fixed(Self.n), .fixed(Self.d)])
        let v = try graph.input("v", [.fixed(Self.n), .fixed(Self.d)])
        let kT = try graph.apply(.transpose(perm: [1, 0]), k, name: "kT")
        let scores = try graph.apply(.matMul, q, kT, name: "scores")
        let probabilities = try graph.apply(.softmax(axis: -1), scores, name: "softmax")
        let report = try graph.count(try graph.apply(.matMul, probabilities, v, name: "context"))

        #expect(report.node("scores")?.macs == 1_000_000_000)
        #expect(report.node("context")?.macs == 1_000_000_000)
        let products = try Polynomial.sum(["scores", "context"].compactMap { report.node($0)?.flops })
        #expect(products == 4_000_000_000)
        #expect(report.node("softmax")?.flops == Polynomial(5 * Self.n * Self.n))
        #expect(report.node("kT")?.flops == 0)
    }

    /// One LSTM layer, I = H = d, n steps: 4 gates × (input + recurrent) = 8·n·d² MACs,
    /// 16·10⁹ FLOPs, plus the 9 lone FLOPs per hidden unit and step of the gate arithmetic.
    @Test func lstmGatesAndSteps() throws {
        let report = try lstm(direction: .forward, bias: false)
        #expect(report.total.macs == 8_000_000_000)
        #expect(report.total.flops == Polynomial(16_000_000_000 + 9 * Self.n * Self.d))

        let bidirectional = try lstm(direction: .bidirectional, bias: true)
        #expect(bidirectional.total.macs == 16_000_000_000)
        #expect(bidirectional.total.flops == Polynomial(2 * (16_000_000_000 + (9 + 8) * Self.n * Self.d)))
    }

    private func lstm(direction: LSTMAttributes.Direction, bias: Bool) throws -> ComplexityReport {
        var graph = TestGraph("lstm")
        let directions = direction.count
        let x = try graph.input("x", [.fixed(Self.n), 1, .fixed(Self.d)])
        let w = try graph.parameter("w", [directions, 4 * Self.d, Self.d])
        let r = try graph.parameter("r", [directions, 4 * Self.d, Self.d])
        let b = bias ? try graph.parameter("b", [directions, 8 * Self.d]) : nil
        let outputs = try graph.builder.add(.lstm(LSTMAttributes(hiddenSize: Self.d, direction: direction)),
                                            [x, w, r, b], name: "lstm", outputCount: 3)
        return try graph.count(outputs[0])
    }

    /// GRU and RNN, I = H = d, n steps: gates × (input + recurrent) products, GRU 3 gates
    /// (6·n·d² MACs) with 8 lone FLOPs per unit and step (+6 with bias, +6 with clip), RNN 1
    /// gate (2·n·d²) with 1 (+2 with bias). Sequence and batch may stay symbolic.
    @Test func gruAndRNNGatesAndSteps() throws {
        let gru = try recurrent(.gru(linearBeforeReset: false), direction: .forward, bias: false, clip: nil)
        #expect(gru.total.macs == 6_000_000_000)
        #expect(gru.total.flops == Polynomial(12_000_000_000 + 8 * Self.n * Self.d))
        let clipped = try recurrent(.gru(linearBeforeReset: true), direction: .bidirectional, bias: true, clip: 1)
        #expect(clipped.total.macs == 12_000_000_000)
        #expect(clipped.total.flops == Polynomial(2 * (12_000_000_000 + (8 + 6 + 6) * Self.n * Self.d)))
        let rnn = try recurrent(.rnn, direction: .reverse, bias: true, clip: nil)
        #expect(rnn.total.macs == 2_000_000_000)
        #expect(rnn.total.flops == Polynomial(4_000_000_000 + 3 * Self.n * Self.d))

        var graph = TestGraph("symbolic")
        let x = try graph.input("x", ["seq", "batch", 3])
        let outputs = try graph.builder.add(.recurrent(RecurrentAttributes(cell: .gru(linearBeforeReset: false), hiddenSize: 2)),
                                            [x, try graph.parameter("w", [1, 6, 3]), try graph.parameter("r", [1, 6, 2])],
                                            name: "gru", outputCount: 2)
        let symbolic = try graph.count(outputs[0])
        // 3 gates · 2 units · (3 + 2) = 30 MACs per step and batch row; 8 · 2 lone FLOPs.
        #expect(try symbolic.total.macs.evaluate(["seq": 7, "batch": 5]) == 30 * 35)
        #expect(try symbolic.total.flops.evaluate(["seq": 7, "batch": 5]) == (60 + 16) * 35)
    }

    private func recurrent(_ cell: RecurrentAttributes.Cell, direction: RecurrentDirection, bias: Bool, clip: Float?) throws -> ComplexityReport {
        var graph = TestGraph("recurrent")
        let (directions, width) = (direction.count, cell.gateCount * Self.d)
        let x = try graph.input("x", [.fixed(Self.n), 1, .fixed(Self.d)])
        let w = try graph.parameter("w", [directions, width, Self.d])
        let r = try graph.parameter("r", [directions, width, Self.d])
        let b = bias ? try graph.parameter("b", [directions, 2 * width]) : nil
        let attributes = RecurrentAttributes(cell: cell, hiddenSize: Self.d, direction: direction, clip: clip)
        return try graph.count(try graph.builder.add(.recurrent(attributes), [x, w, r, b], name: "rnn", outputCount: 2)[0])
    }

    /// A 1-D convolution over n positions, d → d channels, width k: n·d²·k MACs = 6·10⁹ FLOPs.
    @Test func oneDimensionalConvolution() throws {
        var graph = TestGraph("conv1d")
        let x = try graph.input("x", [1, .fixed(Self.d), .fixed(Self.n)])
        let report = try graph.count(try graph.conv(x, Self.d, kernel: 3, pad: 1, name: "conv"))
        #expect(report.total.macs == 3_000_000_000)
        #expect(report.total.flops == 6_000_000_000)
    }

    /// Grouped convolution: each output sees C_in/group channels; the bias adds one FLOP.
    @Test func groupedConvolutionWithBias() throws {
        var graph = TestGraph("grouped")
        let x = try graph.input("x", [1, 8, 10, 10])
        let weight = try graph.parameter("weight", [16, 2, 3, 3])
        let bias = try graph.parameter("bias", [16])
        let y = try graph.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1], group: 4)), x, weight, bias, name: "conv")
        let report = try graph.count(y)
        #expect(report.total.macs == Polynomial(1600 * 2 * 9))
        #expect(report.total.flops == Polynomial(2 * 1600 * 2 * 9 + 1600))
        #expect(report.total.parameters == 16 * 2 * 9 + 16)
    }

    /// Gemm M×K·K×N: M·N·K MACs; alpha, the C addition and beta each add M·N FLOPs.
    @Test func gemmScalingAndBias() throws {
        for (alpha, beta, withC, lonePasses) in [(Float(1), Float(1), false, 0), (1, 1, true, 1), (0.5, 2, true, 3)] {
            var graph = TestGraph("gemm")
            let a = try graph.input("a", [2, 3])
            let b = try graph.parameter("b", [3, 4])
            let c = withC ? try graph.parameter("c", [4]) : nil
            let y = try graph.apply(.gemm(GemmAttributes(alpha: alpha, beta: beta)), a, b, c, name: "gemm")
            let report = try graph.count(y)
            #expect(report.total.macs == 24)
            #expect(report.total.flops == Polynomial(48 + 8 * lonePasses))
        }
    }

    /// MatMul broadcasts leading axes and promotes 1-D operands: E · K MACs.
    @Test func matMulBroadcastAndVectors() throws {
        var graph = TestGraph("matmul")
        let a = try graph.input("a", [2, 1, 5, 3])
        let b = try graph.input("b", [4, 3, 6])
        let vector = try graph.input("v", [3])
        let batched = try graph.apply(.matMul, a, b, name: "batched")
        #expect(batched.type.dims == [2, 4, 5, 6])
        let product = try graph.apply(.matMul, vector, b, name: "vector")
        let report = try graph.count(try graph.apply(.concat(axis: 0), product, product, name: "concat"))
        #expect(report.node("batched")?.macs == Polynomial(2 * 4 * 5 * 6 * 3))
        #expect(report.node("vector")?.macs == Polynomial(4 * 6 * 3))
    }

    @Test func normalisationPoolingAndElementwise() throws {
        var graph = TestGraph("lone-flops")
        let image = try graph.input("image", [2, 4, 3, 3])
        let channel = { (name: String) throws -> GraphBuilder.Value in try graph.parameter(name, [4]) }
        let normalised = try graph.apply(.batchNormalization(), image, channel("scale"), channel("shift"),
                                         channel("running_mean"), channel("running_var"), name: "bn")
        let lrn = try graph.apply(.lrn(LRNAttributes(size: 5)), normalised, name: "lrn")
        let pooled = try graph.apply(.maxPool(PoolAttributes(kernelShape: [2, 2])), lrn, name: "pool")
        let global = try graph.apply(.globalAveragePool, pooled, name: "gap")
        let mean = try graph.apply(.reduce(.mean, ReduceAttributes(axes: [1])), global, name: "mean")
        let sequence = try graph.input("sequence", [2, 5, 8])
        let gamma = try graph.parameter("gamma", [8])
        let beta = try graph.parameter("beta", [8])
        let layerNorm = try graph.apply(.layerNormalization(), sequence, gamma, beta, name: "ln")
        let layerNormNoBias = try graph.apply(.layerNormalization(), layerNorm, gamma, nil, name: "ln-no-bias")
        let softmax = try graph.apply(.softmax(), layerNormNoBias, name: "softmax")
        let sum = try graph.apply(.add, softmax, sequence, name: "add")
        let erf = try graph.apply(.erf, sum, name: "erf")
        let report = try graph.count(try graph.apply(.mul, erf, try graph.apply(.reshape(), mean,
            try graph.integers([2, 1, 1], name: "shape"), name: "reshape"), name: "mul"))

        let flops: [String: Int] = [
            "bn": 72 * 4 + 2 * 4,           // 4 per element, 2 per channel
            "lrn": 72 * (2 * 5 + 4),        // a square and an add per tap, then 4
            "pool": 2 * 4 * 2 * 2 * 4,      // window area per output
            "gap": 2 * 4 * 2 * 2,           // one per input element
            "mean": 2 * 4,
            "ln": 80 * 7 + 10 * 4,          // 7 per element with a bias, 4 per row
            "ln-no-bias": 80 * 6 + 10 * 4,
            "softmax": 80 * 5,
            "add": 80, "erf": 80, "mul": 80,
            "reshape": 0, "shape": 0,
        ]
        for (name, expected) in flops {
            #expect(report.node(name)?.flops == Polynomial(expected), "\(name)")
        }
        #expect(report.total.macs == 0)
    }

    /// Data movement costs nothing, but its outputs still count as activation bytes.
    @Test func dataMovementIsFree() throws {
        var graph = TestGraph("data-movement")
        let x = try graph.input("x", [2, 3, 4])
        let ids = try graph.input("ids", [5], dtype: .int64)
        let table = try graph.parameter("table", [10, 4])
        let gathered = try graph.apply(.gather(), table, ids, name: "gather")
        let flat = try graph.apply(.flatten(axis: 1), x, name: "flatten")
        let reshaped = try graph.apply(.reshape(), flat, try graph.integers([6, 4], name: "shape6x4"), name: "reshape")
        let joined = try graph.apply(.concat(axis: 0), reshaped, gathered, name: "concat")
        let transposed = try graph.apply(.transpose(perm: [1, 0]), joined, name: "transpose")
        let axes = try graph.integers([0], name: "axes")
        let unsqueezed = try graph.apply(.unsqueeze, transposed, axes, name: "unsqueeze")
        let squeezed = try graph.apply(.squeeze, unsqueezed, axes, name: "squeeze")
        let sliced = try graph.apply(.slice, squeezed, try graph.integers([0], name: "starts"),
                                     try graph.integers([2], name: "ends"), name: "slice")
        let identity = try graph.apply(.identity, sliced, name: "identity")
        let dropped = try graph.apply(.dropout, identity, name: "dropout")
        let cast = try graph.apply(.cast(to: .float16), dropped, name: "cast")
        let shape = try graph.apply(.shape(), cast, name: "shape")
        let zeros = try graph.apply(.constantOfShape(value: Tensor(scalar: Float16(0))), shape, name: "zeros")
        let expanded = try graph.apply(.expand, zeros, try graph.integers([3, 2, 11], name: "target"), name: "expand")
        let report = try graph.count(expanded)

        #expect(Set(report.nodes.map(\.op)) == [
            "Gather", "Flatten", "Reshape", "Constant", "Concat", "Transpose", "Unsqueeze", "Squeeze", "Slice",
            "Identity", "Dropout", "Cast", "Shape", "ConstantOfShape", "Expand",
        ])
        #expect(report.total.macs == 0)
        #expect(report.total.flops == 0)
        #expect(report.node("cast")?.activationBytes == Polynomial(2 * 11 * 2))
    }
}
