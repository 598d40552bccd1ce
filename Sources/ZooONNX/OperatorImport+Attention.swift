import ZooGraph

// ONNX → IR for Attention (opset 23; nonpad_kv_seqlen from 24, the window sizes from 25) and
// RotaryEmbedding (opset 23). A window size of -1 and a rotary_embedding_dim or num_heads of
// 0 mean "not given", as in the spec.
extension OperatorImport {
    static let attentionKnown: [String: Set<String>] = [
        "Attention": ["is_causal", "q_num_heads", "kv_num_heads", "scale", "softcap", "qk_matmul_output_mode",
                      "softmax_precision", "left_window_size", "right_window_size"],
        "RotaryEmbedding": ["interleaved", "rotary_embedding_dim", "num_heads"],
    ]

    func makeAttentionOp() throws(Problem) -> AttentionOp {
        if opType == "RotaryEmbedding" {
            return .rotaryEmbedding(RotaryEmbeddingAttributes(
                interleaved: try flag("interleaved"), rotaryDimension: try positiveOrAbsent("rotary_embedding_dim"),
                headCount: try positiveOrAbsent("num_heads")))
        }
        let modeValue = try int("qk_matmul_output_mode", default: 0)
        guard let mode = AttentionAttributes.ScoresOutput(rawValue: modeValue) else {
            throw Problem(reason: "qk_matmul_output_mode must be 0, 1, 2 or 3, got \(modeValue)")
        }
        let precision = try int("softmax_precision", default: nil)
        if let precision, ![1, 10, 11, 16].contains(precision) {
            throw Problem(reason: "softmax_precision must be 1 (float), 10 (float16), 11 (double) or 16 (bfloat16), got \(precision)")
        }
        let softcap = try float("softcap", default: 0)
        guard softcap >= 0 else { throw Problem(reason: "softcap must not be negative, got \(softcap)") }
        return .attention(AttentionAttributes(
            isCausal: try flag("is_causal"), queryHeadCount: try positiveOrAbsent("q_num_heads"),
            keyValueHeadCount: try positiveOrAbsent("kv_num_heads"), scale: try float("scale", default: nil),
            softcap: softcap, scoresOutput: mode, softmaxPrecision: precision,
            leftWindow: try windowSize("left_window_size"), rightWindow: try windowSize("right_window_size")))
    }

    private func flag(_ name: String) throws(Problem) -> Bool {
        let value = try int(name, default: 0)
        guard value == 0 || value == 1 else { throw Problem(reason: "\(name) must be 0 or 1, got \(value)") }
        return value == 1
    }

    private func positiveOrAbsent(_ name: String) throws(Problem) -> Int? {
        guard let value = try int(name, default: nil), value != 0 else { return nil }
        guard value > 0 else { throw Problem(reason: "\(name) must be positive, got \(value)") }
        return value
    }

    private func windowSize(_ name: String) throws(Problem) -> Int? {
        let value = try int(name, default: -1)
        guard value >= -1 else { throw Problem(reason: "\(name) must be -1 (unbounded) or not negative, got \(value)") }
        return value == -1 ? nil : value
    }
}
