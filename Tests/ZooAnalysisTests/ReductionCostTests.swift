import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// The counting rules of the reductions family (CostRules+Reduce.swift), on a [2, 4, 6]
/// input (48 elements): FLOPs per input element of the reduced set, plus a final step per
/// output element where the rule says so; never MACs.
@Suite struct ReductionCostTests {
    private func flops(_ op: Op, extra: [Tensor] = []) throws -> Polynomial? {
        var graph = TestGraph("reduction")
        var inputs: [GraphBuilder.Value?] = [try graph.input("x", [2, 4, 6])]
        for (index, tensor) in extra.enumerated() { inputs.append(try graph.builder.parameter("operand\(index)", tensor)) }
        let outputs = try graph.builder.add(op, inputs, name: "node", outputCount: op.outputArity.upperBound)
        let report = try graph.count(outputs[0])
        #expect(report.total.macs == 0)
        return report.node("node")?.flops
    }

    @Test func reductionsCountPerInputAndOutputElement() throws {
        // Over axis 1: 48 input elements, 12 outputs.
        let expected: [ReduceOperation: Int] = [
            .max: 48, .min: 48, .sum: 48, .product: 48, .mean: 48, .l1: 96, .sumSquare: 96,
            .l2: 96 + 12, .logSum: 48 + 12, .logSumExp: 4 * 48 + 2 * 12,
        ]
        for (operation, count) in expected {
            #expect(try flops(.reduce(operation, ReduceAttributes(axes: [1]))) == Polynomial(count), "\(operation)")
        }
    }

    @Test func indexScanAndSoftmaxOps() throws {
        #expect(try flops(.argReduce(ArgReduceAttributes(selectsMaximum: true, axis: 2))) == Polynomial(48))
        #expect(try flops(.topK(TopKAttributes()), extra: [try Tensor(shape: [1], scalars: [Int64(2)])]) == Polynomial(48))
        #expect(try flops(.hardmax(axis: -1)) == Polynomial(96))
        #expect(try flops(.cumulative(CumulativeAttributes(.sum)), extra: [Tensor(scalar: Int64(1))]) == Polynomial(48))
        #expect(try flops(.logSoftmax(axis: 1)) == Polynomial(5 * 48))
    }
}
