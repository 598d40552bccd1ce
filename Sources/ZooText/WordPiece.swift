/// Greedy longest-match-first WordPiece (Schuster & Nakajima 2012, as in BERT): a word is
/// split into the longest vocabulary entry at its start, then the longest entry prefixed
/// with `##` at each following position. A word with no such split, or longer than
/// `maximumWordLength` characters, becomes the single unknown token.
struct WordPiece: Sendable {
    let vocabulary: Vocabulary
    let unknownID: Int
    /// Hugging Face's `max_input_chars_per_word`.
    static let maximumWordLength = 100
    static let continuationPrefix: [Unicode.Scalar] = ["#", "#"]

    func ids(for word: [Unicode.Scalar]) -> [Int] {
        guard word.count <= Self.maximumWordLength else { return [unknownID] }
        var ids: [Int] = []
        var start = 0
        while start < word.count {
            let prefix = start > 0 ? Self.continuationPrefix : []
            var end = word.count
            var match: Int?
            while start < end {
                if let id = vocabulary.id(of: prefix + word[start..<end]) {
                    match = id
                    break
                }
                end -= 1
            }
            guard let match else { return [unknownID] }
            ids.append(match)
            start = end
        }
        return ids
    }
}
