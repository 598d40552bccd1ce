import ZooGraph

// ONNX → IR for TensorScatter (opset 24), CausalConvWithState and LinearAttention (opset 27).
// LinearAttention's scale 0 means 1/√dk, as in the spec.
extension OperatorImport {
    static let statefulKnown: [String: Set<String>] = [
        "TensorScatter": ["mode", "axis"],
        "CausalConvWithState": ["activation"],
        "LinearAttention": ["chunk_size", "kv_num_heads", "q_num_heads", "scale", "update_rule"],
    ]

    func makeStatefulOp() throws(Problem) -> StatefulOp {
        if opType == "LinearAttention" { return .linearAttention(try makeLinearAttentionAttributes()) }
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

    private func makeLinearAttentionAttributes() throws(Problem) -> LinearAttentionAttributes {
        let rule = try string("update_rule") ?? "gated_delta"
        guard let updateRule = LinearAttentionAttributes.UpdateRule(rawValue: rule) else {
            throw Problem(reason: "update_rule must be 'linear', 'gated', 'delta' or 'gated_delta', got '\(rule)'")
        }
        let queryHeads = try required(int("q_num_heads", default: nil), "q_num_heads")
        let keyValueHeads = try required(int("kv_num_heads", default: nil), "kv_num_heads")
        guard queryHeads > 0, keyValueHeads > 0, queryHeads % keyValueHeads == 0 else {
            throw Problem(reason: "q_num_heads \(queryHeads) must be a positive multiple of kv_num_heads \(keyValueHeads)")
        }
        let chunkSize = try int("chunk_size", default: 64)
        guard chunkSize > 0 else { throw Problem(reason: "chunk_size must be positive, got \(chunkSize)") }
        let scale = try float("scale", default: 0)
        guard scale.isFinite else { throw Problem(reason: "scale must be finite, got \(scale)") }
        return LinearAttentionAttributes(updateRule: updateRule, queryHeadCount: queryHeads, keyValueHeadCount: keyValueHeads,
                                         scale: scale == 0 ? nil : scale, chunkSize: chunkSize)
    }
}
