import ZooTensor

/// Operators that update a carried state, for step-by-step decoding of language models: the
/// KV-cache write of opset 24, the causal convolution and the linear attention of opset 27.
public enum StatefulOp: Sendable, Hashable {
    /// TensorScatter(past_cache, [update], [write_indices]) → present_cache (opset 24): the
    /// cache with `update` written along `axis` from `write_indices[b]` (0 when absent) of
    /// each batch row b, wrapping around the cache's length when circular.
    case tensorScatter(TensorScatterAttributes)
    /// CausalConvWithState(input, weight, [bias], [past_state]) → output, present_state (opset
    /// 27): a depthwise 1-D convolution of `[B, C, L]` by `[C, 1, k]` over the past state
    /// `[B, C, k-1]` (zeros when absent) followed by the input, optionally with SiLU; the
    /// present state is the last k-1 positions of that concatenation.
    case causalConvolution(activation: CausalConvolutionActivation)
    /// LinearAttention(query, key, value, [past_state], [decay], [beta]) → output,
    /// present_state (opset 27): a recurrence over the tokens of `[B, T, H·D]` inputs whose
    /// state `[B, Hkv, dk, dv]` per key/value head is decayed, corrected (delta rules) and
    /// updated by k ⊗ v; each token's output is scale·qᵀS, query heads sharing their group's state.
    case linearAttention(LinearAttentionAttributes)

    public var onnxName: String {
        switch self {
        case .tensorScatter: "TensorScatter"
        case .causalConvolution: "CausalConvWithState"
        case .linearAttention: "LinearAttention"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .tensorScatter: 2...3
        case .causalConvolution: 2...4
        case .linearAttention: 3...6
        }
    }

    public var outputArity: ClosedRange<Int> {
        switch self {
        case .tensorScatter: 1...1
        case .causalConvolution, .linearAttention: 1...2
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .tensorScatter(let a): [("mode", a.circular ? "circular" : nil), ("axis", a.axis == -2 ? nil : a.axis)]
        case .causalConvolution(let activation): [("activation", activation == .none ? nil : activation.rawValue)]
        case .linearAttention(let a):
            [("update_rule", a.updateRule.rawValue), ("q_num_heads", a.queryHeadCount), ("kv_num_heads", a.keyValueHeadCount),
             ("scale", a.scale), ("chunk_size", a.chunkSize == 64 ? nil : a.chunkSize)]
        }
    }
}

public struct TensorScatterAttributes: Sendable, Hashable {
    /// Write positions wrap modulo the cache length ("circular") instead of having to fit ("linear").
    public var circular: Bool
    /// The sequence axis, as written (negative counts from the end); never the batch axis 0.
    public var axis: Int

    public init(circular: Bool, axis: Int) {
        self.circular = circular
        self.axis = axis
    }
}

/// CausalConvWithState's fused activation; "swish" is another name for SiLU, x·sigmoid(x).
public enum CausalConvolutionActivation: String, Sendable, Hashable {
    case none, silu, swish
}

public struct LinearAttentionAttributes: Sendable, Hashable {
    /// How the state evolves per token: S ← S + k⊗v (linear), decayed by exp(g) first (gated),
    /// with v replaced by β·(v − Sᵀk) (delta), or both (gated_delta, the default).
    public enum UpdateRule: String, Sendable, Hashable, CaseIterable {
        case linear, gated, delta
        case gatedDelta = "gated_delta"

        /// Whether the rule takes the decay input (index 4).
        public var isGated: Bool { self == .gated || self == .gatedDelta }
        /// Whether the rule takes the beta input (index 5).
        public var isDelta: Bool { self == .delta || self == .gatedDelta }
    }

    public var updateRule: UpdateRule
    public var queryHeadCount: Int
    public var keyValueHeadCount: Int
    /// The output's factor; nil means 1/√dk.
    public var scale: Float?
    /// A tuning hint of chunked implementations, kept to be written back; results do not depend on it.
    public var chunkSize: Int

    public init(updateRule: UpdateRule = .gatedDelta, queryHeadCount: Int, keyValueHeadCount: Int, scale: Float? = nil, chunkSize: Int = 64) {
        self.updateRule = updateRule
        self.queryHeadCount = queryHeadCount
        self.keyValueHeadCount = keyValueHeadCount
        self.scale = scale
        self.chunkSize = chunkSize
    }
}
