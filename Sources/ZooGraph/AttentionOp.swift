import ZooTensor

/// Attention and the rotary position embedding of opset 23 (ONNX's LLM operators).
public enum AttentionOp: Sendable, Hashable {
    /// Attention(Q, K, V, [attn_mask], [past_key], [past_value], [nonpad_kv_seqlen])
    /// → Y, [present_key], [present_value], [qk_matmul_output]: softmax(scale·QKᵀ (softcapped)
    /// + bias)·V per head, the bias from the mask, the causal frontier, the window and the
    /// padding given by nonpad_kv_seqlen (opset 24). Q is `[B, Hq, Sq, D]` or `[B, Sq, Hq·D]`,
    /// K and V `[B, Hkv, Skv, D|Dv]` or `[B, Skv, Hkv·(D|Dv)]`; Hkv divides Hq (grouped-query).
    case attention(AttentionAttributes)
    /// RotaryEmbedding(X, cos_cache, sin_cache, [position_ids]) → X with the first
    /// rotary_embedding_dim features of every head rotated pairwise by the cached angles.
    /// X is `[B, H, S, D]` or `[B, S, H·D]` (num_heads given).
    case rotaryEmbedding(RotaryEmbeddingAttributes)

    public var onnxName: String {
        switch self {
        case .attention: "Attention"
        case .rotaryEmbedding: "RotaryEmbedding"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .attention: 3...7
        case .rotaryEmbedding: 3...4
        }
    }

    public var outputArity: ClosedRange<Int> {
        switch self {
        case .attention: 1...4
        case .rotaryEmbedding: 1...1
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .attention(let a):
            [("is_causal", a.isCausal ? 1 : nil), ("q_num_heads", a.queryHeadCount), ("kv_num_heads", a.keyValueHeadCount),
             ("scale", a.scale), ("softcap", a.softcap == 0 ? nil : a.softcap),
             ("qk_matmul_output_mode", a.scoresOutput == .raw ? nil : a.scoresOutput.rawValue),
             ("softmax_precision", a.softmaxPrecision), ("left_window_size", a.leftWindow),
             ("right_window_size", a.rightWindow)]
        case .rotaryEmbedding(let a):
            [("interleaved", a.interleaved ? 1 : nil), ("rotary_embedding_dim", a.rotaryDimension), ("num_heads", a.headCount)]
        }
    }
}

public struct AttentionAttributes: Sendable, Hashable {
    /// What the optional fourth output (qk_matmul_output) holds.
    public enum ScoresOutput: Int, Sendable, Hashable, CaseIterable {
        /// scale·QKᵀ.
        case raw = 0
        /// After the softcap.
        case softcapped = 1
        /// After the softcap and the bias (mask, causal frontier, window, padding).
        case biased = 2
        /// The softmax probabilities (a fully masked row is zeros).
        case probabilities = 3
    }

    public var isCausal: Bool
    /// Head counts of Q and of K/V; required for 3-D inputs, nil for 4-D ones.
    public var queryHeadCount: Int?
    public var keyValueHeadCount: Int?
    /// The factor of QKᵀ; nil means 1/√D.
    public var scale: Float?
    /// c·tanh(scores / c) before the bias when c > 0.
    public var softcap: Float
    public var scoresOutput: ScoresOutput
    /// ONNX dtype code of the softmax's precision as written in the file (1, 10, 11 or 16);
    /// the kernel computes in float32 whatever it is.
    public var softmaxPrecision: Int?
    /// Keys a query sees before and after its own position (opset 25); nil is unbounded.
    public var leftWindow: Int?
    public var rightWindow: Int?

    public init(isCausal: Bool = false, queryHeadCount: Int? = nil, keyValueHeadCount: Int? = nil, scale: Float? = nil,
                softcap: Float = 0, scoresOutput: ScoresOutput = .raw, softmaxPrecision: Int? = nil,
                leftWindow: Int? = nil, rightWindow: Int? = nil) {
        self.isCausal = isCausal
        self.queryHeadCount = queryHeadCount
        self.keyValueHeadCount = keyValueHeadCount
        self.scale = scale
        self.softcap = softcap
        self.scoresOutput = scoresOutput
        self.softmaxPrecision = softmaxPrecision
        self.leftWindow = leftWindow
        self.rightWindow = rightWindow
    }
}

public struct RotaryEmbeddingAttributes: Sendable, Hashable {
    /// Rotates (x[2i], x[2i+1]) pairs instead of (x[i], x[i + dim/2]).
    public var interleaved: Bool
    /// Features of each head that are rotated; nil (or 0 in a file) means all of them.
    public var rotaryDimension: Int?
    /// Heads of a 3-D input `[B, S, H·D]`.
    public var headCount: Int?

    public init(interleaved: Bool = false, rotaryDimension: Int? = nil, headCount: Int? = nil) {
        self.interleaved = interleaved
        self.rotaryDimension = rotaryDimension
        self.headCount = headCount
    }
}
