import ZooGraph

/// The closing half of a post-LN transformer sublayer, Hugging Face's `BertSelfOutput` and
/// `BertOutput`: `y = LayerNorm(residual + Dropout(x Wᵀ + b))`.
/// Children: `dense`, `dropout`, `LayerNorm`. Output size = the residual's feature size.
public struct ResidualOutput: Sendable, Hashable, Codable {
    public var dropout: Float
    public var layerNormEpsilon: Float

    public init(dropout: Float, layerNormEpsilon: Float) {
        self.dropout = dropout
        self.layerNormEpsilon = layerNormEpsilon
    }

    public func callAsFunction(_ input: Value, residual: Value, _ tracer: inout Tracer) throws -> Value {
        let hiddenSize = try tracer.staticSize(of: residual, axis: -1, "ResidualOutput", role: "feature size")
        var x = try Dense(hiddenSize)(input, &tracer, at: "dense")
        x = try Dropout(dropout)(x, &tracer, at: "dropout")
        x = try tracer.apply(.add, x, residual, role: "add")
        return try LayerNorm(epsilon: layerNormEpsilon)(x, &tracer, at: "LayerNorm")
    }
}
