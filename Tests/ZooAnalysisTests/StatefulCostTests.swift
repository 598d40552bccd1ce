import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// TensorScatter moves data (no arithmetic); CausalConvWithState is k MACs per output element
/// plus 1 FLOP for the bias and 4 for SiLU; LinearAttention per token and key/value head is
/// dk·dv MACs for the update (twice with the delta rules) and per query head dk·dv for the read.
@Suite struct StatefulCostTests {
    @Test func tensorScatterHasNoArithmetic() throws {
        var graph = TestGraph("scatter")
        let cache = try graph.input("cache", [2, 8, 4]), update = try graph.input("update", [2, 1, 4])
        let report = try graph.count(try graph.apply(.stateful(.tensorScatter(TensorScatterAttributes(circular: false, axis: -2))),
                                                     cache, update, name: "s"))
        #expect(report.total.macs == 0)
        #expect(report.node("s")?.flops == 0)
    }

    @Test func causalConvolutionWithBiasAndSiLU() throws {
        var graph = TestGraph("conv")
        let x = try graph.input("x", [2, 3, "length"]), w = try graph.input("w", [3, 1, 4]), bias = try graph.input("b", [3])
        let report = try graph.count(try graph.apply(.stateful(.causalConvolution(activation: .silu)), x, w, bias, name: "c"))
        let outputs = try Polynomial(6) * Polynomial(symbol: "length")
        #expect(report.total.macs == (try outputs * Polynomial(4)))
        #expect(report.node("c")?.flops == (try outputs * Polynomial(2 * 4 + 1 + 4)))
    }

    @Test func gatedDeltaLinearAttentionWithGroupedQueries() throws {
        // B 2, T tokens; Hq 4, Hkv 2, dk 8, dv 6: a 48-element state per key/value head.
        var graph = TestGraph("linear attention")
        let q = try graph.input("q", [2, "tokens", 32]), k = try graph.input("k", [2, "tokens", 16]), v = try graph.input("v", [2, "tokens", 12])
        let gates = try graph.input("gates", [2, "tokens", 2])
        let report = try graph.count(try graph.apply(.stateful(.linearAttention(LinearAttentionAttributes(queryHeadCount: 4, keyValueHeadCount: 2))),
                                                     q, k, v, nil, gates, gates, name: "l"))
        let tokens = try Polynomial(2) * Polynomial(symbol: "tokens")
        // Update and retrieval 2·48 per key/value head, read 48 per query head.
        let macs = try tokens * Polynomial(2 * 48 * 2 + 48 * 4)
        // Correction 2·6 + decay 48 + 8 exps per key/value head, scale 6 per query head.
        #expect(report.total.macs == macs)
        #expect(report.node("l")?.flops == (try Polynomial(2) * macs + tokens * Polynomial((12 + 48 + 8) * 2 + 6 * 4)))
    }
}
