import Foundation

/// BERT's text normalisation, in tokenizers' order:
/// 1. clean: drop NUL, U+FFFD and control characters; every whitespace character becomes a space;
/// 2. surround each CJK ideograph with spaces, so it becomes a word;
/// 3. (uncased) strip accents: canonical decomposition (NFD), then drop nonspacing marks;
/// 4. (uncased) lowercase each character on its own (no context rules such as Greek final sigma).
struct BertNormalizer: Sendable {
    /// BERT "uncased" models lowercase and strip accents; "cased" models do neither.
    var lowercase: Bool

    func normalize(_ text: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text {
            if scalar.value == 0 || scalar.value == 0xFFFD || scalar.isBertControl { continue }
            if scalar.isBertWhitespace {
                cleaned.append(" ")
            } else if scalar.isCJKIdeograph {
                cleaned.append(contentsOf: [" ", scalar, " "])
            } else {
                cleaned.append(scalar)
            }
        }
        guard lowercase else { return Array(cleaned) }
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        return decomposed.filter { $0.properties.generalCategory != .nonspacingMark }
            .flatMap { $0.properties.lowercaseMapping.unicodeScalars }
    }
}
