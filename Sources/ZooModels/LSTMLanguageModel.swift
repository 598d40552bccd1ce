// LSTM language model: Zaremba, Sutskever & Vinyals, "Recurrent neural network
// regularization", 2014, in the layout of PyTorch's word_language_model example (`encoder`,
// `rnn`, `decoder`, `drop`). Defaults are the paper's "medium" model: 10k-word vocabulary
// (Penn Treebank), 650-unit embedding and hidden size, 2 layers, dropout 0.5 on the
// non-recurrent connections. Departures: each gate has two biases (ONNX and PyTorch keep an
// input and a recurrent bias) where the paper has one; weight tying (Press & Wolf 2017)
// is an option the paper did not have.

import ZooBlocks
import ZooGraph

/// Input `input_ids` int64 `[seq, batch]` (time-major, like PyTorch's example and ONNX's
/// LSTM, so no transposes are needed); output `logits` float32 `[seq, batch, vocabularySize]`.
public struct LSTMLanguageModel: Architecture {
    public var vocabularySize: Int
    public var embeddingSize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var dropout: Float
    /// The decoder reuses the embedding matrix (`encoder.weight`); needs embeddingSize == hiddenSize.
    public var tiedWeights: Bool

    public init(vocabularySize: Int = 10_000, embeddingSize: Int = 650, hiddenSize: Int = 650, layerCount: Int = 2,
                dropout: Float = 0.5, tiedWeights: Bool = false) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.dropout = dropout
        self.tiedWeights = tiedWeights
    }

    public static let zarembaMedium = LSTMLanguageModel()

    public var task: ModelTask { .languageModel(vocabularySize: vocabularySize) }

    public var inputs: [InputSpec] {
        [InputSpec(name: "input_ids", dtype: .int64, dims: [.symbolic("seq"), .symbolic("batch")])]
    }

    public func validate() throws {
        try require(!tiedWeights || embeddingSize == hiddenSize, "LSTMLanguageModel",
                    "tied weights need embeddingSize (\(embeddingSize)) == hiddenSize (\(hiddenSize))")
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let drop = Dropout(dropout)
        var x = try Embedding(count: vocabularySize, dimension: embeddingSize)(inputs[0], &tracer, at: "encoder")
        x = try drop(x, &tracer, at: "drop")
        x = try LSTM(hiddenSize: hiddenSize, layerCount: layerCount, dropout: dropout)(x, &tracer, at: "rnn")
        x = try drop(x, &tracer, at: "drop")
        let decoder = Dense(vocabularySize, tiedWeight: tiedWeights ? tracer.qualified("encoder.weight") : nil)
        return [("logits", try decoder(x, &tracer, at: "decoder"))]
    }
}
