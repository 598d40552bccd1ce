// ELMo-style bidirectional language model encoder: Peters et al., "Deep contextualized word
// representations", NAACL 2018, with AllenNLP's structure: a character CNN over each token
// (Kim et al. 2016), highway layers, a projection, then a forward and a backward LSTM
// stack that each read only their own direction's previous layer (two language models, not
// a stacked BiLSTM), with residual connections from the second layer on, and a scalar mix
// of the layer representations (token layer duplicated to [x; x], then each LSTM layer's
// [forward; backward]).
// Departure: ELMo's LSTMs project their 4096-unit cells to 512 inside the recurrence (LSTMP),
// which ONNX's LSTM cannot express; here each LSTM's hidden size is the projection size, so
// `original` has ELMo's layer shapes (1024 per position) but smaller recurrent matrices.

import ZooBlocks
import ZooGraph

/// Input `char_ids` int64 `[batch, seq, maxCharacters]`; output `representation` float32
/// `[batch, seq, 2·hiddenSize]`.
public struct ELMo: Architecture {
    public var characterCount: Int
    public var maxCharacters: Int
    public var characterEmbeddingSize: Int
    public var filters: [CharacterCNN.Filter]
    public var highwayCount: Int
    /// The token projection's size and each direction's LSTM size: one number, because the
    /// token layer [x; x] joins the scalar mix beside the LSTM layers' [forward; backward].
    public var hiddenSize: Int
    public var layerCount: Int

    public init(characterCount: Int = 262, maxCharacters: Int = 50, characterEmbeddingSize: Int = 16,
                filters: [CharacterCNN.Filter], highwayCount: Int, hiddenSize: Int, layerCount: Int = 2) {
        self.characterCount = characterCount
        self.maxCharacters = maxCharacters
        self.characterEmbeddingSize = characterEmbeddingSize
        self.filters = filters
        self.highwayCount = highwayCount
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
    }

    /// A modest model: 512 filters, one highway layer, 256 units per direction.
    public static let small = ELMo(
        filters: [(1, 32), (2, 32), (3, 64), (4, 128), (5, 256)].map { CharacterCNN.Filter(width: $0.0, count: $0.1) },
        highwayCount: 1, hiddenSize: 256)

    /// The sizes of the original ELMo (AllenNLP's elmo_2x4096_512_2048cnn_2xhighway): 2048
    /// filters, two highway layers, 512 per direction (cells of 512, not 4096: see above).
    public static let original = ELMo(
        filters: [(1, 32), (2, 32), (3, 64), (4, 128), (5, 256), (6, 512), (7, 1024)]
            .map { CharacterCNN.Filter(width: $0.0, count: $0.1) },
        highwayCount: 2, hiddenSize: 512)

    public var task: ModelTask { .encoder(hiddenSize: 2 * hiddenSize) }

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
            "projection": Dense(hiddenSize),
        ])
        let tokens = try encoder(inputs[0], &tracer, at: "token_encoder")                       // [batch, seq, H]
        let timeMajor = try tracer.apply(.transpose(perm: [1, 0, 2]), tokens, role: "time_major")  // [seq, batch, H]

        func stack(reverse: Bool) -> LSTM {
            LSTM(hiddenSize: hiddenSize, layerCount: layerCount, reverse: reverse, residual: true)
        }
        let forward = try tracer.scope("lstm.forward") { tracer in try stack(reverse: false).layerOutputs(timeMajor, &tracer) }
        let backward = try tracer.scope("lstm.backward") { tracer in try stack(reverse: true).layerOutputs(timeMajor, &tracer) }
        var layers = [try tracer.apply(.concat(axis: 2), [timeMajor, timeMajor], role: "token_layer")]
        for (index, pair) in zip(forward, backward).enumerated() {
            layers.append(try tracer.apply(.concat(axis: 2), [pair.0, pair.1], role: "lstm_layer_\(index)"))
        }
        let mixed = try tracer.scope("scalar_mix") { tracer in try ScalarMix()(layers, &tracer) }  // [seq, batch, 2H]
        return [("representation", try tracer.apply(.transpose(perm: [1, 0, 2]), mixed, role: "batch_major"))]
    }
}
