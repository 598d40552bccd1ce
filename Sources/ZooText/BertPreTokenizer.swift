/// Splits normalised text into words: whitespace separates words and is dropped, and each
/// punctuation character is a word of its own (`don't` → `don`, `'`, `t`).
enum BertPreTokenizer {
    static func words(in text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text {
            if scalar.isBertWhitespace || scalar.isBertPunctuation {
                if !current.isEmpty { words.append(current) }
                current = []
                if scalar.isBertPunctuation { words.append([scalar]) }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
