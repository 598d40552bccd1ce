import Foundation

/// A WordPiece vocabulary: token *i* has id *i*. Tokens are compared scalar by scalar, as
/// the reference implementations compare bytes (Swift's `String` equality would treat
/// canonically equivalent spellings, such as precomposed and combining accents, as one).
public struct Vocabulary: Sendable {
    public let tokens: [String]
    private let idsByScalars: [[Unicode.Scalar]: Int]

    /// Vocabulary files are a few hundred kilobytes; a larger file is not one.
    public static let maximumFileByteCount = 64 << 20

    public init(tokens: [String]) {
        self.tokens = tokens
        // A token listed twice keeps its last id, as Hugging Face's loaders do.
        idsByScalars = Dictionary(tokens.enumerated().map { (Array($1.unicodeScalars), $0) }, uniquingKeysWith: { $1 })
    }

    /// Reads a `vocab.txt`: one token per line, in id order.
    public init(contentsOfFile path: String) throws(TextError) {
        let text: String
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Self.maximumFileByteCount else {
                throw TextError.unreadableVocabulary(path: path, reason: "the file is \(size) bytes, more than the \(Self.maximumFileByteCount) allowed")
            }
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch let error as TextError {
            throw error
        } catch {
            throw .unreadableVocabulary(path: path, reason: error.localizedDescription)
        }
        // Split on the newline scalar: as a String, "\r\n" is one Character, not a "\n".
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }  // the newline ending the last line
        self.init(tokens: lines.map { line in String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line)) })
    }

    public var count: Int { tokens.count }

    public func id(of token: String) -> Int? { idsByScalars[Array(token.unicodeScalars)] }

    func id(of scalars: [Unicode.Scalar]) -> Int? { idsByScalars[scalars] }
}
