/// The character classes BERT's tokenization is defined with, as Hugging Face `tokenizers`
/// implements them (normalizers/bert.rs and pre_tokenizers/bert.rs).
extension Unicode.Scalar {
    /// Removed while cleaning text: Unicode "other" (control, format, private use, surrogate,
    /// unassigned), except tab, newline and carriage return, which count as whitespace.
    var isBertControl: Bool {
        if self == "\t" || self == "\n" || self == "\r" { return false }
        switch properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    /// Unicode White_Space, which includes tab, newline and carriage return.
    var isBertWhitespace: Bool { properties.isWhitespace }

    /// Split off as a token of its own: ASCII punctuation (which includes symbols such as
    /// `$`, `+`, `^`) and every Unicode punctuation category.
    var isBertPunctuation: Bool {
        if isASCII, (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
            || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value) { return true }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks, each ideograph a word of its own. The ranges are
    /// tokenizers' (including its 0x2B920 where the block starts at 0x2B820).
    var isCJKIdeograph: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: true
        default: false
        }
    }
}
