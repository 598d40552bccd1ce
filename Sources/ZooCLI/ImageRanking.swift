import Foundation
import ModelZoo

/// The most probable classes of each image: the softmax of its row of class scores.
enum ImageRanking {
    struct Entry: Encodable {
        let index: Int
        let label: String?
        let probability: Double
    }

    struct Result: Encodable {
        let file: String
        let top: [Entry]
    }

    /// The `count` most probable classes of each row of `scores` [images, classes], best first.
    static func rank(_ scores: Tensor, files: [String], labels: [String]?, count: Int) -> [Result] {
        let classCount = scores.shape[1]
        let values = scores.doubleValues
        return files.enumerated().map { row, file in
            let logits = values[(row * classCount)..<((row + 1) * classCount)]
            let largest = logits.max() ?? 0
            let exponentials = logits.map { exp($0 - largest) }
            let total = exponentials.reduce(0, +)
            let ranked = exponentials.enumerated().sorted { $0.element > $1.element }.prefix(count)
            return Result(file: file, top: ranked.map { Entry(index: $0.offset, label: labels?[$0.offset], probability: $0.element / total) })
        }
    }

    /// Each file, then one line per class: "  97.31%  label (index)".
    static func text(_ results: [Result]) -> String {
        results.map { result in
            ([result.file] + result.top.map { entry in
                String(format: "  %6.2f%%  ", entry.probability * 100) + (entry.label.map { "\($0) (\(entry.index))" } ?? "class \(entry.index)")
            }).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func json(model: String, _ results: [Result]) throws -> String {
        struct Report: Encodable {
            let model: String
            let images: [Result]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Report(model: model, images: results)), as: UTF8.self)
    }
}
