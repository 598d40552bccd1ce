// ELMo's bidirectional language model encoder: Peters et al., "Deep contextualized word
// representations", NAACL 2018, with AllenNLP's structure: a character CNN over each token
// (Kim et al. 2016), highway layers, a projection, then a forward and a backward LSTM
// stack that each read only their own direction's previous layer (two language models, not
// a stacked BiLSTM), with residual connections from the second layer on, and a scalar mix
// of the layer representations (token layer duplicated to [x; x], then each LSTM layer's
// [forward; backward]).
// The LSTMs are projected (LSTMP): each step's cell output (4096 units in the original) is
// projected to the layer's output size (512), which is also the recurrent state, with the
// cell and the projection clipped to ±3. ONNX's LSTM cannot project, so each LSTM layer is a
// Scan over time (see LSTM+Projection.swift). Gates are in ONNX's order (i, o, f, c) and
// each has one bias, as in bilm-tf and AllenNLP, so parameter counts match theirs exactly:
// small 13,593,316 and original 93,600,868 (AllenNLP lists 13.6M and 93.6M).

import ZooBlocks
import ZooGraph

/// Input `char_ids` int64 `[batch, seq, maxCharacters]`; output `representation` float32
/// `[batch, seq, 2·projectionSize]`.
public struct ELMo: Architecture {
    public var characterCount: Int
    public var maxCharacters: Int
    public var characterEmbeddingSize: Int
    public var filters: [CharacterCNN.Filter]
    public var highwayCount: Int
    /// The token projection's size and each direction's LSTM output (its projection): one
    /// number, because the token layer [x; x] joins the scalar mix beside the LSTM layers'
    /// [forward; backward].
    public var projectionSize: Int
    /// Each LSTM's cell size, projected to `projectionSize` at every step.
    public var cellSize: Int
    public var layerCount: Int
    /// Bound on the LSTM cells, or nil for none.
    public var cellClip: Float?
    /// Bound on the LSTM projections, or nil for none.
    public var projectionClip: Float?

    public init(characterCount: Int = 262, maxCharacters: Int = 50, characterEmbeddingSize: Int = 16,
                filters: [CharacterCNN.Filter] = ELMo.characterFilters, highwayCount: Int, projectionSize: Int,
                cellSize: Int, layerCount: Int = 2, cellClip: Float? = 3, projectionClip: Float? = 3) {
        self.characterCount = characterCount
        self.maxCharacters = maxCharacters
        self.characterEmbeddingSize = characterEmbeddingSize
        self.filters = filters
        self.highwayCount = highwayCount
        self.projectionSize = projectionSize
        self.cellSize = cellSize
        self.layerCount = layerCount
        self.cellClip = cellClip
        self.projectionClip = projectionClip
    }

    /// The character CNN of every published ELMo: 2048 filters of widths 1 to 7.
    public static let characterFilters = [(1, 32), (2, 32), (3, 64), (4, 128), (5, 256), (6, 512), (7, 1024)]
        .map { CharacterCNN.Filter(width: $0.0, count: $0.1) }

    /// AllenNLP's elmo_2x1024_128_2048cnn_1xhighway: one highway layer, 1024 cells projected to 128.
    public static let small = ELMo(highwayCount: 1, projectionSize: 128, cellSize: 1024)

    /// AllenNLP's elmo_2x4096_512_2048cnn_2xhighway: two highway layers, 4096 cells projected to 512.
    public static let original = ELMo(highwayCount: 2, projectionSize: 512, cellSize: 4096)

    public var task: ModelTask { .encoder(hiddenSize: 2 * projectionSize) }

    public var inputs: [InputSpec] {
        [InputSpec(name: "char_ids", dtype: .int64, dims: [.symbolic("batch"), .symbolic("seq"), .fixed(maxCharacters)])]
    }

    public func validate() throws {
        try require(highwayCount >= 0, "ELMo", "highway count is \(highwayCount), must not be negative")
        try require(layerCount >= 1, "ELMo", "layer count is \(layerCount), must be positive")
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let encoder = Sequential([
            "char_cnn": CharacterCNN(characterCount: characterCount, embeddingSize: characterEmbeddingSize, filters: filters),
            "highways": Sequential(Array(repeating: Highway(), count: highwayCount)),
            "projection": Dense(projectionSize),
        ])
        let tokens = try encoder(inputs[0], &tracer, at: "token_encoder")                       // [batch, seq, P]
        let timeMajor = try tracer.apply(.transpose(perm: [1, 0, 2]), tokens, role: "time_major")  // [seq, batch, P]

        func stack(reverse: Bool) -> LSTM {
            LSTM(hiddenSize: cellSize, layerCount: layerCount, reverse: reverse, residual: true,
                 projectionSize: projectionSize, cellClip: cellClip, projectionClip: projectionClip)
        }
        let forward = try tracer.scope("lstm.forward") { tracer in try stack(reverse: false).layerOutputs(timeMajor, &tracer) }
        let backward = try tracer.scope("lstm.backward") { tracer in try stack(reverse: true).layerOutputs(timeMajor, &tracer) }
        var layers = [try tracer.apply(.concat(axis: 2), [timeMajor, timeMajor], role: "token_layer")]
        for (index, pair) in zip(forward, backward).enumerated() {
            layers.append(try tracer.apply(.concat(axis: 2), [pair.0, pair.1], role: "lstm_layer_\(index)"))
        }
        let mixed = try tracer.scope("scalar_mix") { tracer in try ScalarMix()(layers, &tracer) }  // [seq, batch, 2P]
        return [("representation", try tracer.apply(.transpose(perm: [1, 0, 2]), mixed, role: "batch_major"))]
    }
}
