import ZooGraph

/// 2-D convolution (cross-correlation), PyTorch's `nn.Conv2d`:
/// `y[n, o] = b[o] + Σ_c Σ_kh Σ_kw w[o, c, kh, kw] · x[n, g·C/G + c, s·h + d·kh − p, s·w + d·kw − p]`.
/// Input `[batch, C, H, W]`, weight `[outChannels, C/groups, kH, kW]`, bias `[outChannels]`;
/// output spatial size `⌊(n + pBegin + pEnd − d·(k−1) − 1) / s⌋ + 1` per axis.
public struct Conv2d: Layer, Sendable, Hashable, Codable {
    public var outChannels: Int
    public var kernelSize: Size2D
    public var stride: Size2D
    public var padding: Padding
    public var dilation: Size2D
    public var groups: Int
    public var bias: Bool

    public init(_ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = 0,
                dilation: Size2D = 1, groups: Int = 1, bias: Bool = true) {
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.bias = bias
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let block = "Conv2d"
        try tracer.require(input.type.rank == 4, block, "expects a [batch, channels, height, width] input, got \(input.type)")
        let inChannels = try tracer.staticSize(of: input, axis: 1, block, role: "channel count")
        try tracer.require(outChannels >= 1, block, "output channel count is \(outChannels), must be positive")
        try tracer.require((kernelSize.values + stride.values + dilation.values).allSatisfy { $0 >= 1 }, block,
                           "kernel \(kernelSize), stride \(stride) and dilation \(dilation) must be positive")
        try tracer.require(padding.onnxPads.allSatisfy { $0 >= 0 }, block, "padding \(padding.onnxPads) must not be negative")
        try tracer.require(groups >= 1 && inChannels % groups == 0 && outChannels % groups == 0, block,
                           "\(groups) groups must divide both the \(inChannels) input and the \(outChannels) output channels")

        let fanIn = inChannels / groups * kernelSize.height * kernelSize.width
        let weight = try tracer.parameter("weight", shape: [outChannels, inChannels / groups] + kernelSize.values,
                                          fill: .heUniform(fanIn: fanIn))
        let biasValue = bias ? try tracer.parameter("bias", shape: [outChannels], fill: .zeros) : nil
        let attributes = ConvAttributes(kernelShape: kernelSize.values, strides: stride.values, pads: padding.onnxPads,
                                        dilations: dilation.values, group: groups)
        // An absent bias is left out rather than passed as an empty name.
        return try tracer.apply(.conv(attributes), [input, weight, biasValue].compactMap { $0 })
    }
}
