import ZooGraph

extension CostContext {
    /// LSTM, GRU and RNN, per time step, batch element and direction: each of the cell's
    /// gate blocks multiplies the input by its rows of W (H × I) and the hidden state by its
    /// rows of R (H × H), gates · H(I + H) MACs (LSTM 4, GRU 3, RNN 1). Lone FLOPs per
    /// hidden unit and step:
    /// - LSTM 9: 5 activations (σ for i, o, f; tanh for c̃ and for the new cell), 3 for the
    ///   cell update f∘c + i∘c̃, 1 for h = o∘tanh(c). The bias B adds Wb and Rb separately to
    ///   the four gates (+8), peepholes multiply and add on three gates (+6). `input_forget`
    ///   swaps the σ of f for the subtraction 1 − i and costs the same.
    /// - GRU 8: 3 activations (z, r, h̃), 1 for the reset product (r∘h, or r∘(h·Rₕᵀ + Rbₕ)
    ///   with `linear_before_reset`: the same count), 4 for h' = (1 − z)∘h̃ + z∘h. The bias
    ///   adds Wb and Rb to the three gates (+6).
    /// - RNN 1: the activation; the bias adds Wb and Rb (+2).
    /// Clip compares each gate's pre-activation twice (+2 per gate).
    func recurrentCost(_ attributes: RecurrentAttributes) throws(CountError) -> Cost {
        let x = try input(0)
        let (steps, batch) = attributes.layout == 0 ? (x.dims[0], x.dims[1]) : (x.dims[1], x.dims[0])
        let gates = attributes.cell.gateCount
        var perUnit = switch attributes.cell {
        case .lstm: 9 + (hasInput(7) ? 6 : 0)
        case .gru: 8
        case .rnn: 1
        }
        if hasInput(3) { perUnit += 2 * gates }
        if attributes.clip != nil { perUnit += 2 * gates }
        return try checked { () throws(PolynomialError) in
            let hidden = Polynomial(attributes.hiddenSize)
            let runs = try Polynomial(product: [steps, batch]) * Polynomial(attributes.direction.count)
            let perStep = try Polynomial(gates) * hidden * (Polynomial(x.dims[2]) + hidden)
            return try Cost(macs: runs * perStep, otherFLOPs: runs * hidden * Polynomial(perUnit))
        }
    }
}
