import ZooGraph

/// Element-wise activations. Each case is itself a layer, and a config can store one.
public enum Activation: String, Layer, Sendable, Hashable, Codable, CaseIterable {
    case relu, sigmoid, tanh
    /// Exact GELU, `x · ½ · (1 + erf(x / √2))`, as the opset-17 Erf decomposition PyTorch
    /// exports: Div → Erf → Add → Mul → Mul.
    case gelu

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        switch self {
        case .relu: return try tracer.apply(.relu, input)
        case .sigmoid: return try tracer.apply(.sigmoid, input)
        case .tanh: return try tracer.apply(.tanh, input)
        case .gelu:
            let sqrt2 = try tracer.scalar(Float(2).squareRoot(), role: "sqrt2")
            let one = try tracer.scalar(1, role: "one")
            let half = try tracer.scalar(0.5, role: "half")
            let erf = try tracer.apply(.erf, try tracer.apply(.div, input, sqrt2, role: "div"), role: "erf")
            let shifted = try tracer.apply(.add, erf, one, role: "add")
            return try tracer.apply(.mul, try tracer.apply(.mul, input, shifted, role: "mul"), half)
        }
    }
}

/// `[d0, d1, …] → [d0, d1·d2·…]` (from `axis` 1 by default), PyTorch's `nn.Flatten`.
public struct Flatten: Layer, Sendable, Hashable, Codable {
    public var axis: Int

    public init(axis: Int = 1) {
        self.axis = axis
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.apply(.flatten(axis: axis), input)
    }
}
