/// A Network-in-Network block (Lin et al. 2013; d2l.ai's `nin_block`): one spatial
/// convolution followed by two 1x1 convolutions (a per-pixel MLP), each with ReLU.
/// Children `0` (the k×k convolution), `2`, `4` (the 1x1 ones).
public struct NiNBlock: Layer, Sendable, Hashable, Codable {
    public var outChannels: Int
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int

    public init(_ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) {
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try Sequential([
            Conv2d(outChannels, kernelSize: Size2D(kernelSize), stride: Size2D(stride), padding: Padding(integerLiteral: padding)),
            Activation.relu,
            Conv2d(outChannels, kernelSize: 1),
            Activation.relu,
            Conv2d(outChannels, kernelSize: 1),
            Activation.relu,
        ])(input, &tracer)
    }
}
