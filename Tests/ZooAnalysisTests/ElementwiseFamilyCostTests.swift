import Testing
import ZooAnalysis
import ZooGraph

/// The elementwise family's counting rule (CostRules+ElementwiseFamily.swift): FLOPs per
/// output element, no MACs, no parameters; a symbolic batch stays symbolic.
@Suite struct ElementwiseFamilyCostTests {
    @Test func flopsPerOutputElement() throws {
        var graph = TestGraph("family")
        let x = try graph.input("x", [.symbolic("batch"), 4, 5])
        let row = try graph.input("row", [5])
        let swish = try graph.apply(.unary(.hardSwish), x, name: "hard_swish")
        let celu = try graph.apply(.unary(.celu()), swish, name: "celu")
        let sine = try graph.apply(.unary(.sin), celu, name: "sin")
        let slope = try graph.apply(.binary(.prelu), sine, row, name: "prelu")
        let sum = try graph.apply(.variadic(.sum), slope, row, x, name: "sum")
        let mean = try graph.apply(.variadic(.mean), sum, row, x, name: "mean")
        let report = try graph.count(try graph.apply(.binary(.less), mean, row, name: "less"))
        let elements = try Polynomial(symbol: "batch") * Polynomial(20)
        func times(_ factor: Int) throws -> Polynomial { try Polynomial(factor) * elements }
        #expect(report.node("hard_swish")?.flops == (try times(5)))
        #expect(report.node("celu")?.flops == (try times(7)))
        #expect(report.node("sin")?.flops == elements)
        #expect(report.node("prelu")?.flops == (try times(2)))
        #expect(report.node("sum")?.flops == (try times(2)))
        #expect(report.node("mean")?.flops == (try times(3)))
        #expect(report.node("less")?.flops == elements)
        #expect(report.total.macs == .zero)
        #expect(report.total.parameters == 0)
    }

    @Test func castLikeIsDataMovement() throws {
        var graph = TestGraph("cast_like")
        let x = try graph.input("x", [3, 4])
        let like = try graph.input("like", [1], dtype: .int32)
        let report = try graph.count(try graph.apply(.castLike, x, like, name: "cast"))
        #expect(report.node("cast")?.flops == .zero)
    }
}
