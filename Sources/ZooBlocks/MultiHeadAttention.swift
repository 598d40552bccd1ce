import ZooGraph

/// Multi-head self-attention with its post-LN residual output, Hugging Face's `BertAttention`:
///
///     Q, K, V = x W_Qᵀ + b_Q, x W_Kᵀ + b_K, x W_Vᵀ + b_V          [batch, seq, hidden]
///     head_h  = softmax(Q_h K_hᵀ / √d + mask) V_h,  d = hidden / headCount
///     y       = LayerNorm(x + Dropout(concat_h(head_h) W_Oᵀ + b_O))
///
/// Input `[batch, seq, hidden]`; `mask` is additive and broadcasts to
/// `[batch, headCount, seq, seq]` (e.g. `[batch, 1, 1, seq]` holding 0 or −10000).
/// Children: `self.query`, `self.key`, `self.value`, and `output` (W_O as `output.dense`,
/// then `output.LayerNorm`), which are Hugging Face's names. Heads are split with
/// Reshape `[0, 0, headCount, d]` so batch and seq stay symbolic.
public struct MultiHeadAttention: Sendable, Hashable, Codable {
    public var headCount: Int
    /// Dropout on the attention probabilities.
    public var attentionDropout: Float
    /// Dropout on the projected output, before the residual.
    public var outputDropout: Float
    public var layerNormEpsilon: Float

    public init(headCount: Int, attentionDropout: Float = 0.1, outputDropout: Float = 0.1, layerNormEpsilon: Float = 1e-12) {
        self.headCount = headCount
        self.attentionDropout = attentionDropout
        self.outputDropout = outputDropout
        self.layerNormEpsilon = layerNormEpsilon
    }

    public func callAsFunction(_ input: Value, mask: Value?, _ tracer: inout Tracer) throws -> Value {
        let block = "MultiHeadAttention"
        try tracer.require(input.type.rank == 3, block, "expects a [batch, seq, hidden] input, got \(input.type)")
        let hiddenSize = try tracer.staticSize(of: input, axis: 2, block, role: "hidden size")
        try tracer.require(headCount >= 1, block, "head count is \(headCount), must be positive")
        try tracer.require(hiddenSize % headCount == 0, block,
                           "hidden size \(hiddenSize) is not a multiple of the head count \(headCount)")
        let context = try tracer.scope("self") { tracer in
            try attend(input, mask: mask, headSize: hiddenSize / headCount, &tracer)
        }
        let output = ResidualOutput(dropout: outputDropout, layerNormEpsilon: layerNormEpsilon)
        return try tracer.scope("output") { tracer in try output(context, residual: input, &tracer) }
    }

    /// `[batch, seq, hidden]` → heads attended and merged back to `[batch, seq, hidden]`.
    private func attend(_ input: Value, mask: Value?, headSize: Int, _ tracer: inout Tracer) throws -> Value {
        let headShape = try tracer.integers([0, 0, headCount, headSize], role: "head_shape")
        func heads(_ name: String, perm: [Int], _ tracer: inout Tracer) throws -> Value {
            let projected = try Dense(headCount * headSize)(input, &tracer, at: name)
            let split = try tracer.apply(.reshape(), projected, headShape, role: "\(name)_heads")
            return try tracer.apply(.transpose(perm: perm), split, role: "\(name)_transpose")
        }
        let queries = try heads("query", perm: [0, 2, 1, 3], &tracer)       // [batch, heads, seq, d]
        let keysTransposed = try heads("key", perm: [0, 2, 3, 1], &tracer)  // [batch, heads, d, seq]
        let values = try heads("value", perm: [0, 2, 1, 3], &tracer)        // [batch, heads, seq, d]

        let scale = try tracer.scalar(Float(headSize).squareRoot(), role: "sqrt_head_size")
        var scores = try tracer.apply(.matMul, queries, keysTransposed, role: "scores")
        scores = try tracer.apply(.div, scores, scale, role: "scaled_scores")
        if let mask { scores = try tracer.apply(.add, scores, mask, role: "masked_scores") }
        var probabilities = try tracer.apply(.softmax(axis: -1), scores, role: "softmax")
        probabilities = try Dropout(attentionDropout)(probabilities, &tracer, at: "dropout")
        let context = try tracer.apply(.matMul, probabilities, values, role: "context")
        let merged = try tracer.apply(.transpose(perm: [0, 2, 1, 3]), context, role: "context_transpose")
        return try tracer.apply(.reshape(), merged, try tracer.integers([0, 0, -1], role: "merged_shape"),
                                role: "context_merge")
    }
}
