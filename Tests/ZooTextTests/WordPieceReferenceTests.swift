import Foundation
import Testing
import ZooText

/// Our ids against Hugging Face `tokenizers` with the real all-MiniLM-L6-v2 vocabulary, on
/// sentences chosen to reach every rule (Fixtures/, made by Tests/interop/make_tokenizer_fixture.py).
@Suite struct WordPieceReferenceTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let text: String
            let pair: String?
            let max_length: Int?
            let pad: Bool
            let ids: [Int]
            let tokens: [String]
            let type_ids: [Int]
            let attention_mask: [Int]
        }

        let cases: [Case]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let tokenizer = Result { try WordPieceTokenizer(vocabularyFile: fixtures.appendingPathComponent("vocab.txt").path) }

    static let cases: [Fixture.Case] = {
        let data = (try? Data(contentsOf: fixtures.appendingPathComponent("wordpiece_cases.json"))) ?? Data()
        return (try? JSONDecoder().decode(Fixture.self, from: data))?.cases ?? []
    }()

    @Test func theFixtureIsThere() throws {
        #expect(Self.cases.count >= 30)
        #expect(try Self.tokenizer.get().vocabulary.count == 30522)
    }

    @Test(arguments: cases)
    func matchesHuggingFaceTokenizers(_ reference: Fixture.Case) throws {
        let encoding = try Self.tokenizer.get().encode(
            reference.text, pairedWith: reference.pair, maxLength: reference.max_length, padToMaxLength: reference.pad)
        #expect(encoding.tokens == reference.tokens)
        #expect(encoding.ids == reference.ids)
        #expect(encoding.typeIDs == reference.type_ids)
        #expect(encoding.attentionMask == reference.attention_mask)
    }
}

extension WordPieceReferenceTests.Fixture.Case: CustomTestStringConvertible {
    var testDescription: String {
        let text = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
        return "\(text.debugDescription)\(pair.map { " + \($0.prefix(20).debugDescription)" } ?? "")"
            + (max_length.map { " max \($0)" } ?? "") + (pad ? " padded" : "")
    }
}
