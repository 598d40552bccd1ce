import ArgumentParser
import Foundation
import ModelZoo

/// `zoo embed TEXT...`: sentence embeddings from a pretrained text encoder.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed texts with a pretrained sentence encoder and compare them by cosine similarity.",
        discussion: """
            Tokenises each text, runs the model on the batch, averages the last hidden state over \
            the real tokens and scales it to unit length, as the model card specifies. Prints the \
            start of each embedding (all of it with --json) and, for several texts, their cosine \
            similarities.
            """)

    @Argument(help: "The texts to embed.")
    var texts: [String]

    @Option(name: .long, help: "A zoo text model with pretrained weights.")
    var model = "bert-minilm-l6"

    @Flag(name: .long, help: "Print the full embeddings and similarities as JSON.")
    var json = false

    @Option(name: .long, help: "Threads, 1 to \(CommandLimits.threads); defaults to the core count.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if texts.isEmpty { throw ValidationError("give at least one text") }
        try CommandLimits.check("--threads", threads, atMost: CommandLimits.threads)
    }

    func run() throws {
        let embedder = try SentenceEmbedder(try PretrainedZoo.standard.load(model, progress: downloadProgress(model)), threads: threads)
        let embeddings = try embedder.embed(texts)
        let similarities = embeddings.map { a in embeddings.map { b in SentenceEmbedder.cosineSimilarity(a, b) } }
        if json {
            struct Report: Encodable { let model: String, texts: [String], embeddings: [[Float]], similarities: [[Double]] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let report = Report(model: model, texts: texts, embeddings: embeddings, similarities: similarities)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        for (index, (text, embedding)) in zip(texts, embeddings).enumerated() {
            let start = embedding.prefix(6).map { String(format: "%+.4f", $0) }.joined(separator: " ")
            print("[\(index + 1)] \(text)\n    \(embedding.count)-d: \(start) …")
        }
        guard texts.count > 1 else { return }
        print("cosine similarity:")
        let header = [""] + texts.indices.map { "[\($0 + 1)]" }
        print(TextTable.render([header] + similarities.enumerated().map { index, row in
            ["[\(index + 1)]"] + row.map { String(format: "%.4f", $0) }
        }))
    }
}
