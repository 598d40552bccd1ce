import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// Nodes computing from parameters and constants alone run once, when a runtime loads the
/// graph: they cost nothing per run and hold no activations, but keep their parameters.
@Suite struct LoadTimeConstantTests {
    @Test func transposedWeightIsNotAnActivation() throws {
        var graph = TestGraph("transposed")
        let x = try graph.input("x", ["batch", 6])
        let weight = try graph.parameter("linear.weight", [4, 6])
        let transposed = try graph.apply(.transpose(perm: [1, 0]), weight, name: "linear.weight_t")
        let report = try graph.count(try graph.apply(.matMul, x, transposed, name: "linear"))

        let transpose = try #require(report.nodes.first { $0.name == "linear.weight_t" })
        #expect(transpose.computesConstant)
        #expect(transpose.counts.parameters == 24)
        #expect(transpose.counts.activationBytes == 0)
        #expect(report.total.activationBytes.description == "16·batch")
        #expect(report.total.macs.description == "24·batch")
    }

    /// A shape computed from a static type is known before running, and so is everything
    /// computed from it; such nodes need no rule.
    @Test func staticShapeChainsAreConstantAndNeedNoRule() throws {
        var graph = TestGraph("shape-chain")
        let x = try graph.input("x", [2, 3])
        let shape = try graph.apply(.shape(), x, name: "shape")
        let ones = try graph.apply(.constantOfShape(value: Tensor(scalar: Float(1))), shape, name: "ones")
        let doubled = try graph.apply(.add, ones, ones, name: "doubled")
        let options = CountOptions(rules: CostRules.standard.excluding(opTypes: ["Add"]))
        let report = try graph.count(try graph.apply(.mul, x, doubled, name: "scaled"), options: options)

        #expect(report.nodes.map(\.computesConstant) == [false, true, true, false])
        #expect(report.uncounted.isEmpty)
        #expect(report.node("doubled")?.flops == 0)
        #expect(report.node("shape")?.activationBytes == 0)
        #expect(report.total.flops == 6)
        #expect(report.total.activationBytes == Polynomial(6 * 4))
    }
}
