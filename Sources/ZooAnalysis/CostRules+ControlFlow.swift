import ZooGraph

extension CostContext {
    /// If counts its heavier branch, since which one runs is known only at run time: the
    /// branch with more MACs (then FLOPs) when both costs are numbers; when sizes are symbolic
    /// each term's larger coefficient, which is the heavier branch whenever one dominates.
    /// Loop counts its body times its trip count M when M is a constant (an upper bound when
    /// the condition can stop it earlier), and otherwise per iteration, as a polynomial in the
    /// symbol `iterations(<node>)`.
    func controlFlowCost(_ op: ControlFlowOp, rules: CostRules) throws(CountError) -> Cost {
        guard subgraphs.count == op.subgraphs.count else {
            throw .graph(.shape(node: node.name, op: node.op.onnxName, message: "its subgraphs have not been inferred"))
        }
        let runs = try zip(op.subgraphs, subgraphs).map { (pair: (Graph, CountingScope)) throws(CountError) in
            try oneRunCost(of: pair.0, in: pair.1, rules: rules)
        }
        switch op {
        case .if:
            return try checked { () throws(PolynomialError) in try Self.heavier(runs[0], runs[1]) }
        case .loop:
            let tripCount = node.input(0).flatMap { constantTripCount(named: $0) }
            let iterations = tripCount.map { Polynomial(max($0, 0)) } ?? Polynomial(symbol: "iterations(\(node.name))")
            return try checked { () throws(PolynomialError) in
                Cost(macs: try iterations * runs[0].macs, flops: try iterations * runs[0].flops)
            }
        }
    }

    /// M, when the importer or the graph holds it as a one-element constant the scope knows.
    private func constantTripCount(named name: String) -> Int? {
        guard let body, let value = body.constantValue(name)?.integerValues, value.count == 1 else { return nil }
        return value[0]
    }

    private static func heavier(_ a: Cost, _ b: Cost) throws(PolynomialError) -> Cost {
        if let aMACs = a.macs.constantValue, let bMACs = b.macs.constantValue,
           let aFLOPs = a.flops.constantValue, let bFLOPs = b.flops.constantValue {
            return (aMACs, aFLOPs) >= (bMACs, bFLOPs) ? a : b
        }
        return Cost(macs: try termwiseMaximum(a.macs, b.macs), flops: try termwiseMaximum(a.flops, b.flops))
    }

    private static func termwiseMaximum(_ a: Polynomial, _ b: Polynomial) throws(PolynomialError) -> Polynomial {
        let monomials = Set(a.terms.keys).union(b.terms.keys)
        return try Polynomial.sum(monomials.map { Polynomial(max(a.terms[$0] ?? 0, b.terms[$0] ?? 0), $0) })
    }
}

extension CostContext {
    /// One run of `graph` (a body or branch) seen through `scope`: the sum of its nodes'
    /// costs, leaving out nodes that compute load-time values, as in a main graph.
    func oneRunCost(of graph: Graph, in scope: CountingScope, rules: CostRules) throws(CountError) -> Cost {
        var scope = scope
        var costs: [Cost] = []
        for index in scope.order {
            let (context, computesConstant) = scope.visit(graph.nodes[index])
            if !computesConstant { costs.append(try rules.cost(of: context)) }
        }
        return try checked { () throws(PolynomialError) in
            Cost(macs: try Polynomial.sum(costs.map(\.macs)), flops: try Polynomial.sum(costs.map(\.flops)))
        }
    }
}
