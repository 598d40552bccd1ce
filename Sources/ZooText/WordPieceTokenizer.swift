/// BERT's WordPiece tokenizer, giving the same ids as Hugging Face `tokenizers` with a BERT
/// `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece, `[CLS] … [SEP]`):
///
/// 1. special tokens written in the text (`[MASK]`, `[SEP]`, exactly so spelled) are kept whole;
/// 2. the rest is normalised (`BertNormalizer`: cleaning, CJK spacing, and for uncased
///    models accent stripping and lowercasing) and split into words at whitespace and
///    punctuation (`BertPreTokenizer`);
/// 3. each word becomes word pieces (`WordPiece`), or `[UNK]`.
///
///     let tokenizer = try WordPieceTokenizer(vocabularyFile: "vocab.txt")
///     tokenizer.encode("Héllo, world!").tokens   // ["[CLS]", "hello", ",", "world", "!", "[SEP]"]
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: Vocabulary
    private let normalizer: BertNormalizer
    private let wordPiece: WordPiece
    private let classifierID: Int, separatorID: Int, paddingID: Int
    /// The special tokens that exist in the vocabulary, longest first (for matching).
    private let specialTokens: [(scalars: [Unicode.Scalar], id: Int)]

    public static let unknownToken = "[UNK]", classifierToken = "[CLS]", separatorToken = "[SEP]"
    public static let paddingToken = "[PAD]", maskToken = "[MASK]"

    /// `lowercase`: true for "uncased" BERT models (lowercasing and accent stripping).
    public init(vocabulary: Vocabulary, lowercase: Bool = true) throws(TextError) {
        func id(_ token: String) throws(TextError) -> Int {
            guard let id = vocabulary.id(of: token) else { throw .missingSpecialToken(token) }
            return id
        }
        self.vocabulary = vocabulary
        normalizer = BertNormalizer(lowercase: lowercase)
        wordPiece = WordPiece(vocabulary: vocabulary, unknownID: try id(Self.unknownToken))
        classifierID = try id(Self.classifierToken)
        separatorID = try id(Self.separatorToken)
        paddingID = try id(Self.paddingToken)
        specialTokens = [Self.paddingToken, Self.unknownToken, Self.classifierToken, Self.separatorToken, Self.maskToken]
            .compactMap { token in vocabulary.id(of: token).map { (Array(token.unicodeScalars), $0) } }
            .sorted { $0.scalars.count > $1.scalars.count }
    }

    public init(vocabularyFile path: String, lowercase: Bool = true) throws(TextError) {
        try self.init(vocabulary: try Vocabulary(contentsOfFile: path), lowercase: lowercase)
    }

    /// The word pieces of `text`, without `[CLS]` or `[SEP]`.
    public func tokenize(_ text: String) -> [String] {
        wordPieceIDs(text).map { vocabulary.tokens[$0] }
    }

    /// `[CLS] text [SEP]`, or `[CLS] text [SEP] second [SEP]` for a pair. With `maxLength`,
    /// word pieces are dropped from the end of the longer sequence first (Hugging Face's
    /// "longest_first") until the whole fits; it should leave room for the special tokens (2,
    /// or 3 for a pair), which are always kept. With `padToMaxLength`, `[PAD]` fills up to
    /// `maxLength`.
    public func encode(
        _ text: String, pairedWith second: String? = nil, maxLength: Int? = nil, padToMaxLength: Bool = false
    ) -> TokenEncoding {
        var firstIDs = wordPieceIDs(text)
        var secondIDs = second.map(wordPieceIDs)
        if let maxLength {
            let budget = max(0, maxLength - (secondIDs == nil ? 2 : 3))
            let kept = Truncation.lengths(first: firstIDs.count, second: secondIDs?.count ?? 0, budget: budget)
            firstIDs = Array(firstIDs.prefix(kept.first))
            secondIDs = secondIDs.map { Array($0.prefix(kept.second)) }
        }
        var ids = [classifierID] + firstIDs + [separatorID]
        var typeIDs = [Int](repeating: 0, count: ids.count)
        if let secondIDs {
            ids += secondIDs + [separatorID]
            typeIDs += [Int](repeating: 1, count: secondIDs.count + 1)
        }
        var attentionMask = [Int](repeating: 1, count: ids.count)
        if padToMaxLength, let maxLength, maxLength > ids.count {
            let padding = maxLength - ids.count
            ids += [Int](repeating: paddingID, count: padding)
            typeIDs += [Int](repeating: 0, count: padding)
            attentionMask += [Int](repeating: 0, count: padding)
        }
        return TokenEncoding(ids: ids, tokens: ids.map { vocabulary.tokens[$0] }, typeIDs: typeIDs, attentionMask: attentionMask)
    }

    private func wordPieceIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in splitAtSpecialTokens(Array(text.unicodeScalars)) {
            switch segment {
            case .special(let id):
                ids.append(id)
            case .text(let scalars):
                for word in BertPreTokenizer.words(in: normalizer.normalize(scalars)) {
                    ids += wordPiece.ids(for: word)
                }
            }
        }
        return ids
    }

    private enum Segment {
        case text(ArraySlice<Unicode.Scalar>)
        case special(Int)
    }

    /// The text cut at each special token, matched exactly and leftmost-longest in the raw
    /// text (before normalisation, as `tokenizers` matches added tokens).
    private func splitAtSpecialTokens(_ text: [Unicode.Scalar]) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var position = 0
        while position < text.count {
            let match = specialTokens.first { token in
                text[position...].starts(with: token.scalars)
            }
            guard let match else {
                position += 1
                continue
            }
            if textStart < position { segments.append(.text(text[textStart..<position])) }
            segments.append(.special(match.id))
            position += match.scalars.count
            textStart = position
        }
        if textStart < text.count { segments.append(.text(text[textStart...])) }
        return segments
    }
}
