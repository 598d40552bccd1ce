/// How a network's convolution + BatchNorm pairs are built, where frameworks' versions of
/// one architecture differ: torchvision leaves the convolutions without bias (the BatchNorm
/// shift makes it redundant) and uses ε = 1e-5; Keras Applications' ResNets give every
/// convolution a bias and use ε = 1.001e-5.
public struct ConvolutionStyle: Sendable, Hashable, Codable {
    public var bias: Bool
    public var batchNormEpsilon: Float

    public init(bias: Bool, batchNormEpsilon: Float) {
        self.bias = bias
        self.batchNormEpsilon = batchNormEpsilon
    }

    public static let torchvision = ConvolutionStyle(bias: false, batchNormEpsilon: 1e-5)
    public static let keras = ConvolutionStyle(bias: true, batchNormEpsilon: 1.001e-5)

    /// A convolution in this style.
    public func convolution(_ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = 0) -> Conv2d {
        Conv2d(outChannels, kernelSize: kernelSize, stride: stride, padding: padding, bias: bias)
    }

    public var batchNorm: BatchNorm { BatchNorm(epsilon: batchNormEpsilon) }
}
