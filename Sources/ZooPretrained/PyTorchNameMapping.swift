import ZooGraph
import ZooTensor

/// Names of PyTorch-world state dicts (torchvision, Hugging Face, nn.LSTM) onto the zoo's,
/// which already follow torchvision's and Hugging Face's `BertModel`'s: only what differs is
/// handled, and only when the graph lacks the source's name.
///
/// - Hugging Face task models (`BertForPreTraining`, `BertForSequenceClassification`…) keep
///   the encoder under `bert.`, which is removed; LayerNorm's older `gamma`/`beta` names are
///   read as `weight`/`bias`.
/// - Tensors with no place in an inference graph are set aside with a reason: BatchNorm's
///   `num_batches_tracked`, GoogLeNet's auxiliary heads, BERT's pre-training heads `cls.*`,
///   a pooler when the architecture has none.
/// - `nn.LSTM` layers are converted by `LSTMGateOrder`.
enum PyTorchNameMapping {
    /// Reasons for tensors the graph does not need, by a test on the (mapped) name.
    static let setAside: [(reason: String, applies: @Sendable (String) -> Bool)] = [
        ("BatchNorm's training-step counter; inference does not use it", { $0.hasSuffix(".num_batches_tracked") }),
        ("GoogLeNet's auxiliary classifiers are used only in training", { $0.hasPrefix("aux1.") || $0.hasPrefix("aux2.") }),
        ("BERT's pre-training heads (masked LM, next sentence) are not part of the encoder", { $0.hasPrefix("cls.") }),
        ("a buffer of position indices, recomputed by the graph", { $0.hasSuffix("embeddings.position_ids") }),
        ("the architecture has no pooler", { $0.hasPrefix("pooler.") }),
    ]

    /// `tensors` renamed and converted for `graph`, with what was done in `notes` and the
    /// tensors set aside as "name (dtype[shape]): reason" in `ignored`.
    static func map(
        _ tensors: [String: Tensor], onto graph: Graph, notes: inout [String], ignored: inout [String]
    ) throws(PretrainedError) -> [String: Tensor] {
        let known = Set(graph.initializers.map(\.name))
        var result = tensors
        let prefixed = result.keys.filter { $0.hasPrefix("bert.") }
        if !prefixed.isEmpty, !known.contains(where: { $0.hasPrefix("bert.") }) {
            for name in prefixed { result[String(name.dropFirst("bert.".count))] = result.removeValue(forKey: name) }
            notes.append("the prefix 'bert.' (a Hugging Face task model) is removed from \(prefixed.count) names")
        }
        // Checkpoints converted from Google's TensorFlow BERT (the first bert-base-uncased
        // pytorch_model.bin) name LayerNorm's parameters gamma and beta.
        var renamed = 0
        for (old, new) in [("LayerNorm.gamma", "LayerNorm.weight"), ("LayerNorm.beta", "LayerNorm.bias")] {
            for name in result.keys where name.hasSuffix(old) && !known.contains(name) {
                result[String(name.dropLast(old.count)) + new] = result.removeValue(forKey: name)
                renamed += 1
            }
        }
        if renamed > 0 { notes.append("\(renamed) LayerNorm gamma/beta names read as weight/bias") }
        try LSTMGateOrder.convert(&result, for: graph, notes: &notes)
        for name in result.keys.sorted() where !known.contains(name) {
            guard let rule = setAside.first(where: { $0.applies(name) }), let tensor = result.removeValue(forKey: name) else { continue }
            ignored.append("\(name) (\(tensor.dtype)\(tensor.shape)): \(rule.reason)")
        }
        return result
    }
}
