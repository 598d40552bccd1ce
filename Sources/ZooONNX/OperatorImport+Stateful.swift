import ZooGraph

// ONNX → IR for TensorScatter (opset 24) and CausalConvWithState (opset 27).
extension OperatorImport {
    static let statefulKnown: [String: Set<String>] = [
        "TensorScatter": ["mode", "axis"],
        "CausalConvWithState": ["activation"],
    ]

    func makeStatefulOp() throws(Problem) -> StatefulOp {
        if opType == "CausalConvWithState" {
            let name = try string("activation") ?? "none"
            guard let activation = CausalConvolutionActivation(rawValue: name) else {
                throw Problem(reason: "activation must be 'none', 'silu' or 'swish', got '\(name)'")
            }
            return .causalConvolution(activation: activation)
        }
        let mode = try string("mode") ?? "linear"
        guard mode == "linear" || mode == "circular" else {
            throw Problem(reason: "mode must be 'linear' or 'circular', got '\(mode)'")
        }
        return .tensorScatter(TensorScatterAttributes(circular: mode == "circular", axis: try int("axis", default: -2)))
    }
}
