/// ResNet's two-convolution block (ResNet-18/34), torchvision's `BasicBlock`:
/// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, 3x3 convolutions, the first
/// strided. Output channels = `channels`.
public struct BasicBlock: Layer, Sendable, Hashable, Codable {
    public var channels: Int
    public var stride: Int
    public var style: ConvolutionStyle

    public init(channels: Int, stride: Int = 1, style: ConvolutionStyle = .torchvision) {
        self.channels = channels
        self.stride = stride
        self.style = style
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let body = Sequential([
            "conv1": style.convolution(channels, kernelSize: 3, stride: Size2D(stride), padding: 1),
            "bn1": style.batchNorm,
            "relu": Activation.relu,
            "conv2": style.convolution(channels, kernelSize: 3, padding: 1),
            "bn2": style.batchNorm,
        ])
        let shortcut = try needsProjection(input, outChannels: channels, stride: stride, &tracer)
            ? Residual.projection(channels, stride: stride, style: style) : nil
        return try Residual(body: body, shortcut: shortcut)(input, &tracer)
    }
}

/// ResNet's bottleneck block (ResNet-50/101/152), torchvision's `Bottleneck`: 1x1 reduce to
/// `channels`, 3x3, 1x1 expand to `4·channels`, each with batch normalisation, plus the shortcut.
/// torchvision (v1.5) strides the 3x3; the paper (v1) strides the first 1x1.
public struct Bottleneck: Layer, Sendable, Hashable, Codable {
    public static let expansion = 4

    public var channels: Int
    public var stride: Int
    public var strideInFirstConvolution: Bool
    public var style: ConvolutionStyle

    public init(channels: Int, stride: Int = 1, strideInFirstConvolution: Bool = false, style: ConvolutionStyle = .torchvision) {
        self.channels = channels
        self.stride = stride
        self.strideInFirstConvolution = strideInFirstConvolution
        self.style = style
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let outChannels = channels * Self.expansion
        let (reduceStride, spatialStride) = strideInFirstConvolution ? (stride, 1) : (1, stride)
        let body = Sequential([
            "conv1": style.convolution(channels, kernelSize: 1, stride: Size2D(reduceStride)),
            "bn1": style.batchNorm,
            "relu": Activation.relu,
            "conv2": style.convolution(channels, kernelSize: 3, stride: Size2D(spatialStride), padding: 1),
            "bn2": style.batchNorm,
            "relu": Activation.relu,
            "conv3": style.convolution(outChannels, kernelSize: 1),
            "bn3": style.batchNorm,
        ])
        let shortcut = try needsProjection(input, outChannels: outChannels, stride: stride, &tracer)
            ? Residual.projection(outChannels, stride: stride, style: style) : nil
        return try Residual(body: body, shortcut: shortcut)(input, &tracer)
    }
}

/// torchvision's rule: the identity shortcut works only when the block keeps both the channel
/// count and the resolution.
private func needsProjection(_ input: Value, outChannels: Int, stride: Int, _ tracer: inout Tracer) throws -> Bool {
    let inChannels = try tracer.staticSize(of: input, axis: 1, "residual block", role: "channel count")
    return stride != 1 || inChannels != outChannels
}
