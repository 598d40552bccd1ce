import ZooGraph

// Attention and RotaryEmbedding → ONNX attributes; defaults are left out, so a node without
// window sizes is written in its opset-23 form.
extension AttentionOp {
    var onnxAttributes: [(String, AttributeValue)] {
        var attributes: [(String, AttributeValue)] = []
        func add(_ name: String, _ value: Int?) { if let value { attributes.append((name, .int(value))) } }
        switch self {
        case .attention(let a):
            add("is_causal", a.isCausal ? 1 : nil)
            add("q_num_heads", a.queryHeadCount)
            add("kv_num_heads", a.keyValueHeadCount)
            if let scale = a.scale { attributes.append(("scale", .float(scale))) }
            if a.softcap != 0 { attributes.append(("softcap", .float(a.softcap))) }
            add("qk_matmul_output_mode", a.scoresOutput == .raw ? nil : a.scoresOutput.rawValue)
            add("softmax_precision", a.softmaxPrecision)
            add("left_window_size", a.leftWindow)
            add("right_window_size", a.rightWindow)
        case .rotaryEmbedding(let a):
            add("interleaved", a.interleaved ? 1 : nil)
            add("rotary_embedding_dim", a.rotaryDimension)
            add("num_heads", a.headCount)
        }
        return attributes
    }
}
