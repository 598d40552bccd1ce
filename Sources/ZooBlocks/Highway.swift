import ZooGraph

/// A highway layer (Srivastava et al. 2015): `y = t ∘ g(x W_Hᵀ + b_H) + (1 − t) ∘ x` with the
/// transform gate `t = σ(x W_Tᵀ + b_T)`. Children `transform` and `gate`, each `[size, size]`.
/// (AllenNLP stores both matrices in one `[2·size, size]` Linear; splitting it is an import
/// concern, like LSTM gate order.) `[..., size]` in and out.
public struct Highway: Layer, Sendable, Hashable, Codable {
    public var activation: Activation

    public init(activation: Activation = .relu) {
        self.activation = activation
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let size = try tracer.staticSize(of: input, axis: -1, "Highway", role: "feature size")
        let transformed = try activation(try Dense(size)(input, &tracer, at: "transform"), &tracer, at: "transform_activation")
        let gate = try tracer.apply(.sigmoid, try Dense(size)(input, &tracer, at: "gate"), role: "gate_sigmoid")
        let one = try tracer.scalar(1, role: "one")
        let carry = try tracer.apply(.sub, one, gate, role: "carry_gate")
        let kept = try tracer.apply(.mul, gate, transformed, role: "gated")
        let carried = try tracer.apply(.mul, carry, input, role: "carried")
        return try tracer.apply(.add, kept, carried)
    }
}
