import ZooGraph

/// Batch normalisation in its inference form, PyTorch's `nn.BatchNorm2d`:
/// `y = (x − running_mean) / √(running_var + ε) · weight + bias`, per channel (axis 1).
/// Parameters `weight`, `bias`, `running_mean`, `running_var`, each `[channels]`.
public struct BatchNorm: Layer, Sendable, Hashable, Codable {
    public var epsilon: Float

    public init(epsilon: Float = 1e-5) {
        self.epsilon = epsilon
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let channels = try tracer.staticSize(of: input, axis: 1, "BatchNorm", role: "channel count")
        let scale = try tracer.parameter("weight", shape: [channels], fill: .ones)
        let shift = try tracer.parameter("bias", shape: [channels], fill: .zeros)
        let mean = try tracer.parameter("running_mean", shape: [channels], fill: .zeros)
        let variance = try tracer.parameter("running_var", shape: [channels], fill: .ones)
        return try tracer.apply(.batchNormalization(epsilon: epsilon), input, scale, shift, mean, variance)
    }
}

/// Layer normalisation over the last axis, PyTorch's `nn.LayerNorm`:
/// `y = (x − mean) / √(var + ε) · weight + bias`, statistics over the last axis of size
/// `features`; parameters `weight` and `bias`, each `[features]`.
public struct LayerNorm: Layer, Sendable, Hashable, Codable {
    public var epsilon: Float

    public init(epsilon: Float = 1e-5) {
        self.epsilon = epsilon
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let features = try tracer.staticSize(of: input, axis: -1, "LayerNorm", role: "feature size")
        let scale = try tracer.parameter("weight", shape: [features], fill: .ones)
        let shift = try tracer.parameter("bias", shape: [features], fill: .zeros)
        return try tracer.apply(.layerNormalization(axis: -1, epsilon: epsilon), input, scale, shift)
    }
}

/// Local response normalisation across channels, PyTorch's `nn.LocalResponseNorm` (and ONNX LRN):
/// `y = x / (k + α/size · Σ_{size neighbouring channels} x²)^β`. Krizhevsky et al. write
/// α without the `/size`, so their α = 10⁻⁴ with size 5 is α = 5·10⁻⁴ here.
public struct LocalResponseNorm: Layer, Sendable, Hashable, Codable {
    public var size: Int
    public var alpha: Float
    public var beta: Float
    public var k: Float

    public init(size: Int, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }

    /// The setting of Krizhevsky et al. 2012 (n = 5, α = 10⁻⁴ without the /n, β = 0.75, k = 2),
    /// also used by VGG's A-LRN.
    public static let krizhevsky = LocalResponseNorm(size: 5, alpha: 5e-4, beta: 0.75, k: 2)

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.require(size >= 1, "LocalResponseNorm", "size is \(size), must be positive")
        return try tracer.apply(.lrn(LRNAttributes(size: size, alpha: alpha, beta: beta, bias: k)), input)
    }
}
