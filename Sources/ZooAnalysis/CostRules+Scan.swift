import ZooGraph

extension CostContext {
    /// Scan: the body runs once per step, so its cost is one run's times the number of steps,
    /// the length of the scanned axis; a polynomial in `seq` when that is symbolic. Inside the
    /// body, as outside, nodes that compute load-time values cost nothing. A projected LSTM
    /// step over input I, cells H and projection P costs batch·(4H(I + P) + H·P) MACs.
    func scanCost(_ attributes: ScanAttributes, rules: CostRules) throws(CountError) -> Cost {
        guard let scope = body else {
            throw .graph(.shape(node: node.name, op: node.op.onnxName, message: "the body has not been inferred"))
        }
        let perStep = try oneRunCost(of: attributes.body, in: scope, rules: rules)
        let scanned = try input(node.inputs.count - attributes.scanInputCount)
        let axis = attributes.scanInputAxes?.first ?? 0
        let steps = scanned.dims[axis < 0 ? axis + scanned.rank : axis]
        return try checked { () throws(PolynomialError) in
            let count = try Polynomial(steps)
            return Cost(macs: try count * perStep.macs, flops: try count * perStep.flops)
        }
    }
}
