/// A tokenized input as a BERT model takes it: `[CLS] first [SEP]` or
/// `[CLS] first [SEP] second [SEP]`, optionally padded with `[PAD]`.
public struct TokenEncoding: Equatable, Sendable {
    /// Vocabulary ids, the model's `input_ids`.
    public var ids: [Int]
    public var tokens: [String]
    /// 0 for `[CLS]`, the first sequence and its `[SEP]`; 1 for the second sequence and its
    /// `[SEP]`; 0 for padding. The model's `token_type_ids`.
    public var typeIDs: [Int]
    /// 1 for real tokens, 0 for padding. The model's `attention_mask`.
    public var attentionMask: [Int]

    public init(ids: [Int], tokens: [String], typeIDs: [Int], attentionMask: [Int]) {
        self.ids = ids
        self.tokens = tokens
        self.typeIDs = typeIDs
        self.attentionMask = attentionMask
    }
}
