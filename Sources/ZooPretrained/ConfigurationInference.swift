import ZooModels
import ZooTensor

/// What the weights' shapes say about a model's configuration, applied to the registry's
/// entry before its graph is traced: an image classifier's class count (the first axis of its
/// last layer's weight; the last axis of a Keras file's last Dense kernel), and a text model's vocabulary (and, for the LSTM language model, its
/// sizes and depth; for BERT, its number of positions and token types; for ELMo, everything,
/// from bilm-tf's options.json or shapes, see `BilmConversion`). Names are looked up as
/// the zoo spells them and as the PyTorch world does (`bert.` prefix, `nn.LSTM` names).
enum ConfigurationInference {
    static func apply(to entry: ModelEntry, tensors: [String: Tensor], classCountGiven: Bool,
                      read: ReadWeights? = nil) throws -> (entry: ModelEntry, notes: [String]) {
        var notes: [String] = []
        func first(_ names: String...) -> (name: String, shape: [Int])? {
            names.lazy.compactMap { name in tensors[name].map { (name, $0.shape) } }.first
        }
        func infer(_ what: String, _ current: Int, from found: (name: String, shape: [Int])?, axis: Int = 0) -> Int {
            guard let found, found.shape.count > axis else { return current }
            let value = found.shape[axis]
            if value != current { notes.append("\(what) \(value) (was \(current)), from \(found.name) \(found.shape)") }
            return value
        }
        switch entry.architecture {
        case var bert as BERT:
            bert.vocabularySize = infer("vocabulary size", bert.vocabularySize,
                                        from: first("embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight"))
            bert.maxPositions = infer("positions", bert.maxPositions,
                                      from: first("embeddings.position_embeddings.weight", "bert.embeddings.position_embeddings.weight"))
            bert.tokenTypeCount = infer("token types", bert.tokenTypeCount,
                                        from: first("embeddings.token_type_embeddings.weight", "bert.embeddings.token_type_embeddings.weight"))
            return (ModelEntry(entry.id, bert, entry.summary), notes)
        case var model as LSTMLanguageModel:
            model.vocabularySize = infer("vocabulary size", model.vocabularySize, from: first("encoder.weight", "decoder.weight"))
            model.embeddingSize = infer("embedding size", model.embeddingSize, from: first("encoder.weight"), axis: 1)
            // R is [4H, H] in PyTorch's nn.LSTM, [directions, 4H, H] in ours.
            let recurrent = first("rnn.weight_hh_l0").map { ($0, 1) } ?? first("rnn.0.R").map { ($0, 2) }
            model.hiddenSize = infer("hidden size", model.hiddenSize, from: recurrent?.0, axis: recurrent?.1 ?? 1)
            let layers = Set(tensors.keys.compactMap { $0.firstMatch(of: /^rnn\.(?:weight_ih_l(\d+)|(\d+)\.W)$/).map { Int($0.1 ?? $0.2 ?? "") } })
            if let deepest = layers.compactMap({ $0 }).max(), deepest + 1 != model.layerCount {
                notes.append("layers \(deepest + 1) (was \(model.layerCount)), from the rnn tensors")
                model.layerCount = deepest + 1
            }
            return (ModelEntry(entry.id, model, entry.summary), notes)
        // ELMo: bilm-tf's options.json beside the weights or its datasets' shapes, or what a zoo file records.
        case let elmo as ELMo:
            let (configured, notes) = try BilmConversion.configure(elmo, from: read, tensors: tensors)
            return (ModelEntry(entry.id, configured, entry.summary), notes)
        case let classifier as any ImageClassifier:
            guard !classCountGiven else { return (entry, notes) }
            // The classifier's output layer declares the graph's last parameters.
            let graph = try entry.graph()
            guard let last = graph.initializers.last(where: { $0.tensor.shape.first == classifier.classCount }) else { return (entry, notes) }
            let classes: Int
            if let keras = read?.keras {
                // Keras names layers, not our parameters: the last Dense kernel is [in, classes].
                guard let kernel = try KerasConversion.kernel(holding: last.name, in: keras, for: entry.architecture) else { return (entry, notes) }
                classes = infer("class count", classifier.classCount, from: (name: "Keras layer \(kernel.layer), kernel", shape: kernel.shape), axis: 1)
            } else {
                guard let found = first(last.name) else { return (entry, notes) }
                classes = infer("class count", classifier.classCount, from: found)
            }
            return (try entry.with(classCount: classes), notes)
        default:
            return (entry, notes)
        }
    }
}
