import ZooGraph

/// A BERT (post-LN) encoder layer, Hugging Face's `BertLayer`: self-attention with its
/// residual LayerNorm (child `attention`), then the feed-forward sublayer (children
/// `intermediate`, `output`). `[batch, seq, hidden]` in and out.
public struct TransformerEncoderLayer: Sendable, Hashable, Codable {
    public var attention: MultiHeadAttention
    public var feedForward: FeedForward

    public init(headCount: Int, innerSize: Int, activation: Activation = .gelu, dropout: Float = 0.1,
                layerNormEpsilon: Float = 1e-12) {
        attention = MultiHeadAttention(headCount: headCount, attentionDropout: dropout, outputDropout: dropout,
                                       layerNormEpsilon: layerNormEpsilon)
        feedForward = FeedForward(innerSize: innerSize, activation: activation, dropout: dropout,
                                  layerNormEpsilon: layerNormEpsilon)
    }

    public func callAsFunction(_ input: Value, mask: Value?, _ tracer: inout Tracer) throws -> Value {
        let attended = try tracer.scope("attention") { tracer in try attention(input, mask: mask, &tracer) }
        return try feedForward(attended, &tracer)
    }
}
