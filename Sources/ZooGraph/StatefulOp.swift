import ZooTensor

/// Operators that update a carried state, for step-by-step decoding of language models: the
/// KV-cache write of opset 24 and the causal convolution of opset 27.
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

    public var onnxName: String {
        switch self {
        case .tensorScatter: "TensorScatter"
        case .causalConvolution: "CausalConvWithState"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .tensorScatter: 2...3
        case .causalConvolution: 2...4
        }
    }

    public var outputArity: ClosedRange<Int> {
        switch self {
        case .tensorScatter: 1...1
        case .causalConvolution: 1...2
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .tensorScatter(let a): [("mode", a.circular ? "circular" : nil), ("axis", a.axis == -2 ? nil : a.axis)]
        case .causalConvolution(let activation): [("activation", activation == .none ? nil : activation.rawValue)]
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
