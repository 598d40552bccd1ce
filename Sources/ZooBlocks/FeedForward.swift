import ZooGraph

/// The position-wise feed-forward sublayer of a post-LN transformer, Hugging Face's
/// `BertIntermediate` + `BertOutput`:
/// `y = LayerNorm(x + Dropout(act(x W_1ᵀ + b_1) W_2ᵀ + b_2))`, `W_1 [innerSize, hidden]`,
/// `W_2 [hidden, innerSize]`. Children: `intermediate.dense`, `output.dense`, `output.LayerNorm`.
public struct FeedForward: Layer, Sendable, Hashable, Codable {
    public var innerSize: Int
    public var activation: Activation
    public var dropout: Float
    public var layerNormEpsilon: Float

    public init(innerSize: Int, activation: Activation = .gelu, dropout: Float = 0.1, layerNormEpsilon: Float = 1e-12) {
        self.innerSize = innerSize
        self.activation = activation
        self.dropout = dropout
        self.layerNormEpsilon = layerNormEpsilon
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let inner = try tracer.scope("intermediate") { tracer in
            let expanded = try Dense(innerSize)(input, &tracer, at: "dense")
            return try activation(expanded, &tracer, at: "intermediate_act_fn")
        }
        let output = ResidualOutput(dropout: dropout, layerNormEpsilon: layerNormEpsilon)
        return try tracer.scope("output") { tracer in try output(inner, residual: input, &tracer) }
    }
}
