import ZooGraph

/// A residual connection, `y = activation(body(x) + shortcut(x))`. The body is traced at this
/// block's own path (its layers are the block's children, `conv1`, `bn1`, …); the shortcut,
/// when not the identity, is the child `downsample`.
public struct Residual: Layer {
    public var body: any Layer
    public var shortcut: (any Layer)?
    public var activation: Activation?

    public init(body: any Layer, shortcut: (any Layer)? = nil, activation: Activation? = .relu) {
        self.body = body
        self.shortcut = shortcut
        self.activation = activation
    }

    /// torchvision's downsampling shortcut: a strided 1x1 convolution and batch normalisation,
    /// used when the body changes the channel count or the resolution.
    public static func projection(_ channels: Int, stride: Int, style: ConvolutionStyle = .torchvision) -> Sequential {
        Sequential([style.convolution(channels, kernelSize: 1, stride: Size2D(stride)), style.batchNorm])
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let transformed = try body(input, &tracer)
        let carried = try shortcut?(input, &tracer, at: "downsample") ?? input
        let sum = try tracer.apply(.add, transformed, carried, role: "add")
        return try activation?(sum, &tracer, at: "relu") ?? sum
    }
}
