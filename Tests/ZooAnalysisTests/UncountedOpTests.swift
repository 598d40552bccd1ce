import Testing
import ZooAnalysis
import ZooGraph

/// An op without a rule stops the count with an error naming it, or, when allowed, is
/// listed with its share of the graph. Never a silent zero.
@Suite struct UncountedOpTests {
    func count(_ options: CountOptions) throws -> ComplexityReport {
        var graph = TestGraph("lrn-net")
        let x = try graph.input("x", [1, 1, 4, 4])
        let conv = try graph.conv(x, 2, kernel: 1, name: "conv")
        let normalised = try graph.apply(.lrn(LRNAttributes(size: 3)), conv, name: "conv.lrn")
        return try graph.count(try graph.apply(.relu, normalised, name: "relu"), options: options)
    }

    let withoutLRN = CostRules.standard.excluding(opTypes: ["LRN"])

    @Test func everyOpOfTheIRHasAStandardRule() {
        #expect(CostRules.standard.hasRule(for: .lrn(LRNAttributes(size: 3))))
        #expect(!withoutLRN.hasRule(for: .lrn(LRNAttributes(size: 3))))
        #expect(withoutLRN.hasRule(for: .relu))
    }

    @Test func anOpWithoutARuleIsAnError() {
        let expected = CountError.uncountedOp(node: "conv.lrn", op: "LRN")
        #expect(throws: expected) { try count(CountOptions(rules: withoutLRN)) }
        #expect(expected.description
            == "node 'conv.lrn' (LRN): no counting rule for LRN; allow uncounted ops to list it as an exception instead")
    }

    @Test func allowedUncountedOpsAreListedWithTheirShare() throws {
        let report = try count(CountOptions(allowUncounted: true, rules: withoutLRN))
        #expect(report.uncounted.map(\.name) == ["conv.lrn"])
        #expect(report.nodes.map(\.isCounted) == [true, false, true])
        #expect(report.uncountedTotal.activationBytes == Polynomial(2 * 16 * 4))
        #expect(report.total.activationBytes == Polynomial(3 * 2 * 16 * 4))
        #expect(report.total.flops == Polynomial(2 * 32 + 32))  // conv and relu only
        let table = report.formatted(as: .table)
        #expect(table.contains("conv.lrn  LRN   float32[1,2,4,4]       0  uncounted  uncounted        128 B"))
        #expect(table.contains("uncounted (no rule for the op): 1 of 3 nodes (33.3%), 33.3% of activation bytes: conv.lrn (LRN)"))
    }
}
