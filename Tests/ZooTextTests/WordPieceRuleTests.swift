import Foundation
import Testing
import ZooTestSupport
import ZooText

/// The rules one at a time, on a vocabulary small enough to reason about.
@Suite struct WordPieceRuleTests {
    static let vocabulary = Vocabulary(tokens: [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a", "##ff", "##a", "!", ",", "hello",
        "world", "中", "文", "cafe", "don", "'", "t", "x", "##x",
    ])

    static func tokenizer(lowercase: Bool = true) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabulary: vocabulary, lowercase: lowercase)
    }

    @Test func longestMatchFirstWithContinuationPieces() throws {
        #expect(try Self.tokenizer().tokenize("unaffable") == ["un", "##aff", "##able"])
        // "aff" is not a word start, so the longest start is "a", then "##ff".
        #expect(try Self.tokenizer().tokenize("aff") == ["a", "##ff"])
        #expect(try Self.tokenizer().tokenize("unaffablez") == ["[UNK]"])  // no split: the whole word is unknown
    }

    @Test func wordsOfMoreThanOneHundredCharactersAreUnknown() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize(String(repeating: "x", count: 100)) == ["x"] + Array(repeating: "##x", count: 99))
        #expect(tokenizer.tokenize(String(repeating: "x", count: 101)) == ["[UNK]"])
    }

    @Test func normalisationAndSplitting() throws {
        let uncased = try Self.tokenizer()
        #expect(uncased.tokenize("Hello,WORLD!") == ["hello", ",", "world", "!"])
        #expect(uncased.tokenize("Café cafe\u{301}") == ["cafe", "cafe"])  // precomposed and combining accents
        #expect(uncased.tokenize("中文x") == ["中", "文", "x"])
        #expect(uncased.tokenize("don't") == ["don", "'", "t"])
        #expect(uncased.tokenize("hel\u{0}lo\u{200B} \t\u{3000}world") == ["hello", "world"])
        #expect(uncased.tokenize("hello[MASK]world") == ["hello", "[MASK]", "world"])
        #expect(uncased.tokenize("[mask]") == ["[UNK]", "[UNK]", "[UNK]"])  // only the exact spelling is special
        #expect(try Self.tokenizer(lowercase: false).tokenize("Hello café") == ["[UNK]", "[UNK]"])
    }

    @Test func pairsTypeIDsAndPadding() throws {
        let encoding = try Self.tokenizer().encode("hello", pairedWith: "world!", maxLength: 9, padToMaxLength: true)
        #expect(encoding.tokens == ["[CLS]", "hello", "[SEP]", "world", "!", "[SEP]", "[PAD]", "[PAD]", "[PAD]"])
        #expect(encoding.ids == [2, 13, 3, 14, 11, 3, 0, 0, 0])
        #expect(encoding.typeIDs == [0, 0, 0, 1, 1, 1, 0, 0, 0])
        #expect(encoding.attentionMask == [1, 1, 1, 1, 1, 1, 0, 0, 0])
    }

    /// Hugging Face's longest_first arithmetic, case by case.
    @Test func longestFirstTruncation() throws {
        let tokenizer = try Self.tokenizer()
        let single = tokenizer.encode("x x x x x", maxLength: 4)
        #expect(single.tokens == ["[CLS]", "x", "x", "[SEP]"])
        // budget 6: 2 + 9 → the short one whole, the long one 4
        #expect(tokenizer.encode("x x", pairedWith: "a a a a a a a a a", maxLength: 9).tokens
            == ["[CLS]", "x", "x", "[SEP]", "a", "a", "a", "a", "[SEP]"])
        // budget 5: 7 + 7 → 2 and 3, the extra piece to the second when equal
        #expect(tokenizer.encode("x x x x x x x", pairedWith: "a a a a a a a", maxLength: 8).tokens
            == ["[CLS]", "x", "x", "[SEP]", "a", "a", "a", "[SEP]"])
        // budget 5: 9 + 7 → the longer (first) gets the extra piece
        #expect(tokenizer.encode("x x x x x x x x x", pairedWith: "a a a a a a a", maxLength: 8).tokens
            == ["[CLS]", "x", "x", "x", "[SEP]", "a", "a", "[SEP]"])
        // Too short for the special tokens: they alone remain.
        #expect(tokenizer.encode("x x", maxLength: 1).tokens == ["[CLS]", "[SEP]"])
    }

    @Test func vocabularyFiles() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/vocab.txt"
        try Data("[PAD]\r\n[UNK]\n[CLS]\n[SEP]\nx\n##x\nx\n".utf8).write(to: URL(fileURLWithPath: path))
        let vocabulary = try Vocabulary(contentsOfFile: path)
        #expect(vocabulary.tokens == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "x", "##x", "x"])
        #expect(vocabulary.id(of: "x") == 6)  // a repeated token keeps its last id, as Hugging Face's loaders do
        #expect(vocabulary.id(of: "[MASK]") == nil)
        #expect(try WordPieceTokenizer(vocabulary: vocabulary).encode("xx").ids == [2, 6, 5, 3])

        #expect(throws: TextError.missingSpecialToken("[SEP]")) {
            try WordPieceTokenizer(vocabulary: Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]"]))
        }
        #expect(throws: TextError.self) { try Vocabulary(contentsOfFile: directory + "/missing.txt") }
    }
}
