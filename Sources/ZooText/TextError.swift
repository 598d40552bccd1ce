/// Why a tokenizer could not be made. Messages name the file or the missing token.
public enum TextError: Error, Equatable, CustomStringConvertible {
    case unreadableVocabulary(path: String, reason: String)
    /// The vocabulary lacks a token the tokenizer must emit ([UNK], [CLS], [SEP], [PAD]).
    case missingSpecialToken(String)

    public var description: String {
        switch self {
        case .unreadableVocabulary(let path, let reason): "\(path): cannot read the vocabulary: \(reason)"
        case .missingSpecialToken(let token): "the vocabulary has no \(token) token"
        }
    }
}
