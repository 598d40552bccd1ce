// BERT encoder: Devlin, Chang, Lee & Toutanova, "BERT: Pre-training of deep bidirectional
// transformers for language understanding", NAACL 2019, in Hugging Face's `BertModel`
// layout and names: token + segment + position embeddings with LayerNorm, post-LN encoder
// layers with exact (erf) GELU, and the pooler (dense + tanh on the [CLS] position). The
// pre-training heads (masked LM, next sentence) are not included. Small sizes (tiny, mini,
// small, medium) are those of Turc et al. 2019, "Well-read students learn better".

import ZooBlocks
import ZooGraph

/// Inputs `input_ids`, `token_type_ids` and `attention_mask` (1 = attend, 0 = padding), all
/// int64 `[batch, seq]`. Outputs `last_hidden_state` float32 `[batch, seq, hiddenSize]` and,
/// with the pooler, `pooler_output` float32 `[batch, hiddenSize]`.
public struct BERT: Architecture {
    public var layerCount: Int
    public var hiddenSize: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var vocabularySize: Int
    public var maxPositions: Int
    public var tokenTypeCount: Int
    public var dropout: Float
    public var layerNormEpsilon: Float
    public var pooler: Bool

    /// Hugging Face's defaults apart from the sizes; the intermediate size defaults to 4·hidden.
    public init(layerCount: Int, hiddenSize: Int, headCount: Int, intermediateSize: Int? = nil,
                vocabularySize: Int = 30522, maxPositions: Int = 512, tokenTypeCount: Int = 2, dropout: Float = 0.1,
                layerNormEpsilon: Float = 1e-12, pooler: Bool = true) {
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.headCount = headCount
        self.intermediateSize = intermediateSize ?? 4 * hiddenSize
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        self.dropout = dropout
        self.layerNormEpsilon = layerNormEpsilon
        self.pooler = pooler
    }

    public static let tiny = BERT(layerCount: 2, hiddenSize: 128, headCount: 2)
    public static let mini = BERT(layerCount: 4, hiddenSize: 256, headCount: 4)
    public static let small = BERT(layerCount: 4, hiddenSize: 512, headCount: 8)
    public static let medium = BERT(layerCount: 8, hiddenSize: 512, headCount: 8)
    public static let base = BERT(layerCount: 12, hiddenSize: 768, headCount: 12)
    public static let large = BERT(layerCount: 24, hiddenSize: 1024, headCount: 16)

    public var task: ModelTask { .encoder(hiddenSize: hiddenSize) }

    public var inputs: [InputSpec] {
        let dims: [Dim] = [.symbolic("batch"), .symbolic("seq")]
        return ["input_ids", "token_type_ids", "attention_mask"].map { InputSpec(name: $0, dtype: .int64, dims: dims) }
    }

    public func validate() throws {
        try require(layerCount >= 1, "BERT", "layer count is \(layerCount), must be positive")
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let embeddings = TransformerEmbeddings(
            vocabularySize: vocabularySize, hiddenSize: hiddenSize, maxPositions: maxPositions,
            tokenTypeCount: tokenTypeCount, dropout: dropout, layerNormEpsilon: layerNormEpsilon)
        var hidden = try tracer.scope("embeddings") { tracer in
            try embeddings(ids: inputs[0], tokenTypes: inputs[1], &tracer)
        }
        let mask = try tracer.scope("extended_attention_mask") { tracer in try additiveMask(inputs[2], &tracer) }
        let layer = TransformerEncoderLayer(headCount: headCount, innerSize: intermediateSize, dropout: dropout,
                                            layerNormEpsilon: layerNormEpsilon)
        for index in 0..<layerCount {
            hidden = try tracer.scope("encoder.layer.\(index)") { tracer in try layer(hidden, mask: mask, &tracer) }
        }
        guard pooler else { return [("last_hidden_state", hidden)] }
        let pooled = try tracer.scope("pooler") { tracer in
            let first = try tracer.constant(.init(scalar: Int64(0)), role: "cls_index")
            let cls = try tracer.apply(.gather(axis: 1), hidden, first, role: "cls")   // [batch, hidden]
            return try Activation.tanh(try Dense(hiddenSize)(cls, &tracer, at: "dense"), &tracer, at: "activation")
        }
        return [("last_hidden_state", hidden), ("pooler_output", pooled)]
    }

    /// `[batch, seq]` 1/0 → `−10000 · (1 − mask)` as `[batch, 1, 1, seq]`, added to every
    /// head's attention scores so padding gets (almost) no weight.
    private func additiveMask(_ mask: Value, _ tracer: inout Tracer) throws -> Value {
        let floating = try tracer.apply(.cast(to: .float32), mask, role: "cast")
        let broadcastable = try tracer.apply(.unsqueeze, floating, try tracer.integers([1, 2], role: "axes"), role: "unsqueeze")
        let inverted = try tracer.apply(.sub, try tracer.scalar(1, role: "one"), broadcastable, role: "invert")
        return try tracer.apply(.mul, inverted, try tracer.scalar(-10000, role: "large_negative"))
    }
}
