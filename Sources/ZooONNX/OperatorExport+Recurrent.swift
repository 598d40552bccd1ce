import ZooGraph

extension RecurrentAttributes {
    /// The attributes of an LSTM, GRU or RNN node. Every function's alpha and beta are
    /// written, in the order the importer consumes them, so a file read back is equal.
    var onnxAttributes: [(String, AttributeValue)] {
        var attributes: [(String, AttributeValue)] = [("hidden_size", .int(hiddenSize)), ("direction", .string(direction.rawValue))]
        if layout != 0 { attributes.append(("layout", .int(layout))) }
        if let clip { attributes.append(("clip", .float(clip))) }
        switch cell {
        case .gru(linearBeforeReset: true): attributes.append(("linear_before_reset", .int(1)))
        case .lstm(inputForget: true): attributes.append(("input_forget", .int(1)))
        default: break
        }
        guard !activations.isEmpty else { return attributes }
        attributes.append(("activations", .strings(activations.map(\.function.rawValue))))
        let alphas = activations.filter { $0.function.defaultAlpha != nil }.map(\.alpha)
        let betas = activations.filter { $0.function.defaultBeta != nil }.map(\.beta)
        if !alphas.isEmpty { attributes.append(("activation_alpha", .floats(alphas))) }
        if !betas.isEmpty { attributes.append(("activation_beta", .floats(betas))) }
        return attributes
    }
}
