import ZooGraph

// Rules for the ops that multiply matrices: where the MACs are.
extension CostContext {
    /// Conv: each output element is a dot product over its window, (C_in / group) · kernel
    /// area taps, which is the weight's size per output channel; a bias adds one FLOP.
    func convolutionCost() throws(CountError) -> Cost {
        let outputs = try outputElements()
        let weight = try input(1)
        let bias: Polynomial = hasInput(2) ? outputs : .zero
        return try checked { () throws(PolynomialError) in
            try Cost(macs: outputs * Polynomial(product: weight.dims.dropFirst()), otherFLOPs: bias)
        }
    }

    /// Gemm, `alpha · A·B + beta · C`: M·N·K MACs; scaling by alpha, adding C and scaling
    /// C by beta each cost one FLOP per output element.
    func gemmCost(_ attributes: GemmAttributes) throws(CountError) -> Cost {
        let outputs = try outputElements()
        let a = try input(0)
        let inner = attributes.transA ? a.dims[0] : a.dims[1]
        var elementwisePasses = attributes.alpha == 1 ? 0 : 1
        if hasInput(2) { elementwisePasses += attributes.beta == 1 ? 1 : 2 }
        return try checked { () throws(PolynomialError) in
            try Cost(macs: outputs * Polynomial(inner), otherFLOPs: outputs * Polynomial(elementwisePasses))
        }
    }

    /// MatMul: every output element, batch axes included, is a dot product of length K.
    func matMulCost() throws(CountError) -> Cost {
        let outputs = try outputElements()
        let inner = try input(0).dims.last ?? 1
        return try checked { () throws(PolynomialError) in try Cost(macs: outputs * Polynomial(inner)) }
    }
}
