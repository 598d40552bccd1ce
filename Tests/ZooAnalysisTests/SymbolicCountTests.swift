import Testing
import ZooAnalysis
import ZooGraph

/// Counts with batch and sequence length left symbolic are polynomials in them.
@Suite struct SymbolicCountTests {
    /// One attention head of width 8 over `[batch, seq, 8]`: Q, K, V projections, QKᵀ,
    /// softmax, AV, then an output projection on the flattened `[batch*seq, 8]`.
    func attention(options: CountOptions = CountOptions()) throws -> ComplexityReport {
        var graph = TestGraph("attention")
        let x = try graph.input("x", ["batch", "seq", 8])
        let q = try graph.apply(.matMul, x, try graph.parameter("wq", [8, 8]), name: "q")
        let k = try graph.apply(.matMul, x, try graph.parameter("wk", [8, 8]), name: "k")
        let v = try graph.apply(.matMul, x, try graph.parameter("wv", [8, 8]), name: "v")
        let kT = try graph.apply(.transpose(perm: [0, 2, 1]), k, name: "kT")
        let scores = try graph.apply(.matMul, q, kT, name: "scores")
        let probabilities = try graph.apply(.softmax(), scores, name: "softmax")
        let context = try graph.apply(.matMul, probabilities, v, name: "context")
        let rows = try graph.apply(.reshape(), context, try graph.integers([-1, 8], name: "rows.shape"), name: "rows")
        #expect(rows.type.dims == ["batch*seq", 8])
        let output = try graph.dense(rows, 8, name: "out")
        return try graph.count(output, options: options)
    }

    @Test func attentionIsQuadraticInSequenceLength() throws {
        let report = try attention()
        // Projections 4 × 64·batch·seq; QKᵀ and AV 8·batch·seq² each.
        #expect(report.total.macs.description == "16·batch·seq² + 256·batch·seq")
        // Twice the MACs, plus 5 per softmax element.
        #expect(report.total.flops.description == "37·batch·seq² + 512·batch·seq")
        #expect(report.node("scores")?.macs.description == "8·batch·seq²")
        #expect(try report.total.macs.evaluate(["batch": 2, "seq": 128]) == 16 * 2 * 128 * 128 + 256 * 2 * 128)
    }

    /// A "same" convolution over a symbolic length keeps the symbol: n·d²·k MACs per batch.
    @Test func sameConvolutionOverSymbolicLength() throws {
        var graph = TestGraph("conv1d")
        let x = try graph.input("x", ["batch", 4, "seq"])
        let y = try graph.conv(x, 4, kernel: 3, pad: 1, name: "conv")
        #expect(y.type.dims == ["batch", 4, "seq"])
        #expect(try graph.count(y).total.macs.description == "48·batch·seq")
    }

    @Test func symbolValuesGiveTheEvaluatedPolynomial() throws {
        let symbolic = try attention()
        var options = CountOptions()
        options.batchSize = 2
        options.sequenceLength = 128
        let concrete = try attention(options: options)
        let values = ["batch": 2, "seq": 128]
        #expect(concrete.total.macs == Polynomial(try symbolic.total.macs.evaluate(values)))
        #expect(concrete.total.flops == Polynomial(try symbolic.total.flops.evaluate(values)))
        #expect(concrete.total.activationBytes == Polynomial(try symbolic.total.activationBytes.evaluate(values)))
        #expect(concrete.total.macs == 589_824)
    }

    @Test func leavesUnboundSymbolsSymbolic() throws {
        let report = try attention(options: CountOptions(symbolValues: ["batch": 3]))
        #expect(report.total.macs.description == "48·seq² + 768·seq")
    }

    @Test func inputShapesReplaceInputDimensions() throws {
        let report = try attention(options: CountOptions(inputShapes: ["x": [1, 4, 8]]))
        #expect(report.total.macs == Polynomial(16 * 16 + 256 * 4))
    }

    @Test func rejectsOptionsThatMatchNothing() {
        #expect(throws: CountError.unknownSymbol("sequence", available: ["batch", "seq"])) {
            try attention(options: CountOptions(symbolValues: ["sequence": 128]))
        }
        #expect(throws: CountError.unknownInput("image", available: ["x"])) {
            try attention(options: CountOptions(inputShapes: ["image": [1, 3, 224, 224]]))
        }
        #expect(throws: CountError.negativeSymbolValue("seq", -1)) {
            try attention(options: CountOptions(symbolValues: ["seq": -1]))
        }
        #expect(CountError.unknownSymbol("sequence", available: ["batch", "seq"]).description
            == "no input dimension is named 'sequence'; the symbolic dimensions are 'batch', 'seq'")
    }
}
