import ZooGraph

extension OperatorImport {
    /// LSTM, GRU or RNN. `activation_alpha` and `activation_beta` are consumed in the order of
    /// `activations`, each value by the next function that takes one (onnxruntime's reading;
    /// the spec says "in the order of activation functions"); a function left without one
    /// takes its ONNX operator's default. A bidirectional op lists both directions' functions
    /// (shape inference checks the count; onnxruntime refuses one set for both too).
    func recurrentOp() throws(Problem) -> Op {
        let directionName = try string("direction") ?? "forward"
        guard let direction = RecurrentDirection(rawValue: directionName) else {
            throw Problem(reason: "direction '\(directionName)' is not one of forward, reverse, bidirectional")
        }
        let cell: RecurrentAttributes.Cell = switch opType {
        case "GRU": .gru(linearBeforeReset: try int("linear_before_reset", default: nil).map { $0 != 0 } ?? false)
        case "RNN": .rnn
        default: .lstm(inputForget: try int("input_forget", default: nil).map { $0 != 0 } ?? false)
        }
        let activations = try recurrentActivations()
        let attributes = RecurrentAttributes(
            cell: cell, hiddenSize: try required(int("hidden_size", default: nil), "hidden_size"), direction: direction,
            layout: try int("layout", default: nil) ?? 0, clip: try float("clip", default: nil), activations: activations)
        guard case .lstm(let inputForget) = cell else { return .recurrent(attributes) }
        return .lstm(LSTMAttributes(hiddenSize: attributes.hiddenSize, direction: direction, layout: attributes.layout,
                                    clip: attributes.clip, inputForget: inputForget, activations: activations))
    }

    private func recurrentActivations() throws(Problem) -> [RecurrentActivation] {
        var alphas = try floatList("activation_alpha")[...], betas = try floatList("activation_beta")[...]
        var activations: [RecurrentActivation] = []
        for name in try strings("activations") ?? [] {
            guard let function = RecurrentActivation.Function(onnxName: name) else {
                throw Problem(reason: "activation '\(name)' is not supported")
            }
            let alpha = function.defaultAlpha == nil ? nil : alphas.popFirst()
            let beta = function.defaultBeta == nil ? nil : betas.popFirst()
            activations.append(RecurrentActivation(function, alpha: alpha, beta: beta))
        }
        return activations
    }

    func floatList(_ name: String) throws(Problem) -> [Float] {
        switch attributes[name] {
        case nil: return []
        case .floats(let values): return values
        default: throw Problem(reason: "attribute '\(name)' must be a list of floats")
        }
    }
}
