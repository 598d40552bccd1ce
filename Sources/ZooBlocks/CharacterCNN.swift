import ZooGraph

/// A character-level CNN token encoder (Kim et al. 2016; ELMo's `_ElmoCharacterEncoder`):
/// embed each character, convolve over the characters of a token with filters of several
/// widths, max over positions, apply the activation, and concatenate.
///
/// Input char ids int64 `[batch, seq, maxCharacters]`; output `[batch, seq, Σ filter counts]`.
/// Children `char_embedding` `[characterCount, embeddingSize]` and `convolutions.i`. Each
/// filter is a Conv2d with a `1 x width` kernel over `[batch, embedding, seq, characters]`,
/// weight `[count, embeddingSize, 1, width]`, so batch and seq never need to be merged (a
/// Conv1d would need a Reshape back to the symbolic `[batch, seq]`). AllenNLP's Conv1d
/// weights `[count, embeddingSize, width]` gain the unit axis on import.
public struct CharacterCNN: Layer, Sendable, Hashable, Codable {
    public struct Filter: Sendable, Hashable, Codable {
        public var width: Int
        public var count: Int

        public init(width: Int, count: Int) {
            self.width = width
            self.count = count
        }
    }

    public var characterCount: Int
    public var embeddingSize: Int
    public var filters: [Filter]
    public var activation: Activation

    public init(characterCount: Int, embeddingSize: Int, filters: [Filter], activation: Activation = .relu) {
        self.characterCount = characterCount
        self.embeddingSize = embeddingSize
        self.filters = filters
        self.activation = activation
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.require(input.type.rank == 3, "CharacterCNN", "expects [batch, seq, characters] ids, got \(input.type)")
        try tracer.require(!filters.isEmpty, "CharacterCNN", "needs at least one filter")
        let embedded = try Embedding(count: characterCount, dimension: embeddingSize)(input, &tracer, at: "char_embedding")
        // [batch, seq, characters, embedding] → [batch, embedding, seq, characters]
        let channelsFirst = try tracer.apply(.transpose(perm: [0, 3, 1, 2]), embedded, role: "char_transpose")
        var features: [Value] = []
        for (index, filter) in filters.enumerated() {
            let feature = try tracer.scope("convolutions.\(index)") { tracer in
                let conv = Conv2d(filter.count, kernelSize: Size2D(height: 1, width: filter.width))
                let convolved = try conv(channelsFirst, &tracer)
                let pooled = try tracer.apply(.reduce(.max, ReduceAttributes(axes: [3], keepDims: false)), convolved,
                                              role: "max")
                return try activation(pooled, &tracer, at: "activation")
            }
            features.append(feature)
        }
        let concatenated = try tracer.apply(.concat(axis: 1), features, role: "concat")  // [batch, Σ counts, seq]
        return try tracer.apply(.transpose(perm: [0, 2, 1]), concatenated, role: "transpose")
    }
}
