import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// Data movement and indexing ops cost nothing, except the scatter reductions: one
/// operation per update element.
@Suite struct MovementCostTests {
    @Test func movementIsFreeAndScatterReductionsCountTheirUpdates() throws {
        var graph = TestGraph("movement")
        let x = try graph.input("x", ["batch", 4, 6, 6])
        let padded = try graph.apply(.movement(.pad(.reflect)), x, try graph.integers([0, 0, 1, 1, 0, 0, 1, 1], name: "pads"), name: "pad")
        let tiled = try graph.apply(.movement(.tile), padded, try graph.integers([1, 1, 2, 1], name: "repeats"), name: "tile")
        let space = try graph.apply(.movement(.depthToSpace(blockSize: 2, mode: .depthColumnRow)), tiled, name: "d2s")
        let depth = try graph.apply(.movement(.spaceToDepth(blockSize: 2, mode: .depthColumnRow)), space, name: "s2d")
        let lower = try graph.apply(.movement(.trilu(upper: false)), depth, name: "trilu")
        let indices = try graph.input("indices", ["batch", 4, 16, 3], dtype: .int64)
        let gathered = try graph.apply(.movement(.gatherElements(axis: 3)), lower, indices, name: "gather")
        let updates = try graph.input("updates", ["batch", 4, 16, 3])
        let added = try graph.apply(.movement(.scatterElements(axis: 3, reduction: .add)), lower, indices, updates, name: "scatterAdd")
        let replaced = try graph.apply(.movement(.scatterElements(axis: 3, reduction: .none)), added, indices, gathered, name: "scatter")
        let report = try graph.count(replaced)

        #expect(report.total.macs == 0)
        // 4 · 16 · 3 updates per batch entry, one addition each.
        let additions = try 192 * Polynomial(symbol: "batch")
        #expect(report.total.flops == additions)
        #expect(report.node("scatterAdd")?.flops == additions)
        for name in ["pad", "tile", "d2s", "s2d", "trilu", "gather", "scatter"] {
            #expect(report.node(name)?.flops == .zero, "\(name)")
        }
    }
}
