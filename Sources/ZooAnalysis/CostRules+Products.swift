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

    /// LSTM, per time step, batch element and direction: the four gates multiply the input
    /// by W (4H × I) and the hidden state by R (4H × H), 4H(I + H) MACs. Lone FLOPs per
    /// hidden unit: 5 activations (σ for i, o, f; tanh for c̃ and for the new cell), 3 for
    /// the cell update f∘c + i∘c̃ and 1 for h = o∘tanh(c): 9. The bias B adds Wb and Rb
    /// separately to the four gates (+8), peepholes multiply and add on three gates (+6),
    /// clip compares each of the four gates twice (+8). `input_forget` swaps the σ of f for
    /// the subtraction 1 − i and costs the same.
    func lstmCost(_ attributes: LSTMAttributes) throws(CountError) -> Cost {
        let x = try input(0)
        let (steps, batch) = attributes.layout == 0 ? (x.dims[0], x.dims[1]) : (x.dims[1], x.dims[0])
        var perUnit = 9
        if hasInput(3) { perUnit += 8 }
        if hasInput(7) { perUnit += 6 }
        if attributes.clip != nil { perUnit += 8 }
        return try checked { () throws(PolynomialError) in
            let hidden = Polynomial(attributes.hiddenSize)
            let runs = try Polynomial(product: [steps, batch]) * Polynomial(attributes.direction.count)
            let perStep = try 4 * hidden * (Polynomial(x.dims[2]) + hidden)
            return try Cost(macs: runs * perStep, otherFLOPs: runs * hidden * Polynomial(perUnit))
        }
    }
}
