import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// Attention's count is its arithmetic: (Q + Y elements) · T MACs for QKᵀ and PV, T = past +
/// Skv keys, and per score 6 FLOPs (+1 with a bias, +3 with a softcap); RotaryEmbedding 3
/// FLOPs per rotated feature.
@Suite struct AttentionCostTests {
    @Test func groupedQueryWithPastCausalAndSoftcap() throws {
        // B 2, Hq 4, Sq 3, D 8; Hkv 2, Skv 3, past `past`; Dv 6.
        var graph = TestGraph("attention")
        let q = try graph.input("q", [2, 4, 3, 8]), k = try graph.input("k", [2, 2, 3, 8]), v = try graph.input("v", [2, 2, 3, 6])
        let pastKey = try graph.input("pk", [2, 2, "past", 8]), pastValue = try graph.input("pv", [2, 2, "past", 6])
        let report = try graph.count(try graph.apply(.attention(.attention(AttentionAttributes(isCausal: true, softcap: 1))),
                                                     q, k, v, nil, pastKey, pastValue, name: "a"))
        let keys = try Polynomial(symbol: "past") + 3
        #expect(report.total.macs == (try Polynomial(2 * 4 * 3 * 8 + 2 * 4 * 3 * 6) * keys))
        #expect(report.node("a")?.flops == (try Polynomial(2 * (2 * 4 * 3 * 8 + 2 * 4 * 3 * 6) + 2 * 4 * 3 * 10) * keys))
    }

    @Test func threeDimensionalWithoutBias() throws {
        var graph = TestGraph("attention")
        let q = try graph.input("q", ["batch", 5, 24]), kv = try graph.input("kv", ["batch", 7, 8])
        let report = try graph.count(try graph.apply(.attention(.attention(AttentionAttributes(queryHeadCount: 6, keyValueHeadCount: 2))),
                                                     q, kv, kv, name: "a"))
        let batch = Polynomial(symbol: "batch")
        // Y is [batch, 5, 6 · 4]; 6 heads · 5 queries · 7 keys scores of 6 FLOPs.
        #expect(report.total.macs == (try batch * Polynomial((5 * 24 + 5 * 24) * 7)))
        #expect(report.node("a")?.flops == (try batch * Polynomial(2 * (5 * 24 + 5 * 24) * 7 + 6 * 5 * 7 * 6)))
    }

    @Test func rotaryEmbeddingCountsRotatedFeatures() throws {
        var graph = TestGraph("rope")
        let x = try graph.input("x", [2, 5, 24]), cache = try graph.input("cache", [2, 5, 3])
        let report = try graph.count(try graph.apply(.attention(.rotaryEmbedding(RotaryEmbeddingAttributes(rotaryDimension: 6, headCount: 3))),
                                                     x, cache, cache, name: "r"))
        #expect(report.total.macs == 0)
        #expect(report.node("r")?.flops == Polynomial(2 * 5 * 3 * 6 * 3))
    }
}
