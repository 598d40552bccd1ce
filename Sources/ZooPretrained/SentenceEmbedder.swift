import Foundation
import ZooRuntime
import ZooTensor
import ZooText

/// Sentence embeddings from a pretrained text encoder, as its manifest's
/// `sentence_embedding` says: tokenise, run, average the chosen output over the tokens the
/// attention mask keeps, scale to unit length (sentence-transformers' Pooling + Normalize).
///
///     let embedder = try SentenceEmbedder(try Zoo.pretrained("bert-minilm-l6"))
///     let vectors = try embedder.embed(["A cat sits.", "A dog runs."])
///     let similarity = SentenceEmbedder.cosineSimilarity(vectors[0], vectors[1])
public struct SentenceEmbedder: Sendable {
    public let model: PretrainedModel
    private let tokenizer: WordPieceTokenizer
    private let specification: ZooManifest.SentenceEmbeddingSpec
    private let maxLength: Int
    private let session: Session

    public init(_ model: PretrainedModel, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(PretrainedError) {
        guard let tokenizer = model.tokenizer, let specification = model.manifest.sentenceEmbedding,
              let maxLength = model.manifest.preprocessing.tokenizer?.maxLength else {
            throw .notATextModel(model: model.manifest.id)
        }
        self.model = model
        self.tokenizer = tokenizer
        self.specification = specification
        self.maxLength = maxLength
        do { session = try Session(graph: model.graph, options: SessionOptions(threads: threads)) } catch { throw .runtime(error) }
    }

    /// One unit-length vector per text, computed as one batch padded to its longest text.
    public func embed(_ texts: [String]) throws(PretrainedError) -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let length = texts.map { tokenizer.encode($0, maxLength: maxLength).ids.count }.max()!
        let encodings = texts.map { tokenizer.encode($0, maxLength: length, padToMaxLength: true) }
        func batch(_ field: (TokenEncoding) -> [Int]) throws(PretrainedError) -> Tensor {
            do { return try Tensor(shape: [texts.count, length], scalars: encodings.flatMap(field).map(Int64.init)) } catch {
                throw .runtime(.tensor(error))
            }
        }
        let inputs = ["input_ids": try batch(\.ids), "token_type_ids": try batch(\.typeIDs), "attention_mask": try batch(\.attentionMask)]
        let outputs: [String: Tensor]
        do { outputs = try session.run(inputs) } catch { throw .runtime(error) }
        guard let hidden = outputs[specification.output], hidden.shape.count == 3 else {
            throw .architectureMismatch(model: model.manifest.id, reason: "no [batch, seq, hidden] output '\(specification.output)'")
        }
        return Self.meanPooledUnitVectors(hidden.doubleValues, masks: encodings.map(\.attentionMask), hiddenSize: hidden.shape[2])
    }

    /// The average of each text's rows where its mask is 1, divided by its L2 norm (with
    /// sentence-transformers' guards: a count of at least 1e-9, a norm of at least 1e-12).
    private static func meanPooledUnitVectors(_ hidden: [Double], masks: [[Int]], hiddenSize: Int) -> [[Float]] {
        masks.enumerated().map { text, mask in
            var sum = [Double](repeating: 0, count: hiddenSize)
            for (position, keep) in mask.enumerated() where keep != 0 {
                let row = (text * mask.count + position) * hiddenSize
                for index in 0..<hiddenSize { sum[index] += hidden[row + index] }
            }
            let count = max(Double(mask.reduce(0, +)), 1e-9)
            let mean = sum.map { $0 / count }
            let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return mean.map { Float($0 / norm) }
        }
    }

    /// cos(a, b) = a·b / (|a| |b|); for unit vectors, their dot product.
    public static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let norms = (a.reduce(0.0) { $0 + Double($1) * Double($1) } * b.reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot()
        return norms > 0 ? dot / norms : 0
    }
}
