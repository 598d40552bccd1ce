import ZooGraph

/// BERT's input embedding, Hugging Face's `BertEmbeddings`:
/// `y = Dropout(LayerNorm(word[ids] + token_type[types] + position[0..<seq]))`.
/// Inputs `ids` and `tokenTypes`, int64 `[batch, seq]`; output `[batch, seq, hiddenSize]`.
/// Children: `word_embeddings`, `position_embeddings`, `token_type_embeddings`, `LayerNorm`,
/// `dropout`. Positions are the first `seq` rows of the position table, sliced with the
/// run-time sequence length (Shape → Slice), so seq stays symbolic.
public struct TransformerEmbeddings: Sendable, Hashable, Codable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var maxPositions: Int
    public var tokenTypeCount: Int
    public var dropout: Float
    public var layerNormEpsilon: Float

    public init(vocabularySize: Int, hiddenSize: Int, maxPositions: Int = 512, tokenTypeCount: Int = 2,
                dropout: Float = 0.1, layerNormEpsilon: Float = 1e-12) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        self.dropout = dropout
        self.layerNormEpsilon = layerNormEpsilon
    }

    public func callAsFunction(ids: Value, tokenTypes: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.require(ids.type.rank == 2, "TransformerEmbeddings", "expects [batch, seq] token ids, got \(ids.type)")
        if let length = ids.type.dims[1].value {
            try tracer.require(length <= maxPositions, "TransformerEmbeddings",
                               "sequence length \(length) exceeds the \(maxPositions) learned positions")
        }
        let words = try Embedding(count: vocabularySize, dimension: hiddenSize)(ids, &tracer, at: "word_embeddings")
        let types = try Embedding(count: tokenTypeCount, dimension: hiddenSize)(tokenTypes, &tracer, at: "token_type_embeddings")
        let positions = try tracer.scope("position_embeddings") { tracer in
            try tracer.require(maxPositions >= 1 && hiddenSize >= 1, "Embedding",
                               "a \(maxPositions) x \(hiddenSize) table is impossible, both sizes must be positive")
            let table = try tracer.parameter("weight", shape: [maxPositions, hiddenSize], fill: .unitVariance)
            let length = try tracer.apply(.shape(start: 1, end: 2), ids, role: "seq_length")
            return try tracer.apply(.slice, table, try tracer.integers([0], role: "start"), length,
                                    try tracer.integers([0], role: "axis"))
        }
        let sum = try tracer.apply(.add, try tracer.apply(.add, words, types, role: "add"), positions, role: "add_positions")
        let normalized = try LayerNorm(epsilon: layerNormEpsilon)(sum, &tracer, at: "LayerNorm")
        return try Dropout(dropout)(normalized, &tracer, at: "dropout")
    }
}
