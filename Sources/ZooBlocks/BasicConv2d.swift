/// Convolution, batch normalisation, ReLU: torchvision's `BasicConv2d` (GoogLeNet, Inception).
/// Children `conv` (no bias: the BatchNorm's shift replaces it) and `bn`. Without batch
/// normalisation (`batchNormEpsilon` nil) the convolution has a bias, as in the original papers.
public struct BasicConv2d: Layer, Sendable, Hashable, Codable {
    public var outChannels: Int
    public var kernelSize: Size2D
    public var stride: Size2D
    public var padding: Padding
    public var batchNormEpsilon: Float?

    public init(_ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = 0,
                batchNormEpsilon: Float? = 0.001) {
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.batchNormEpsilon = batchNormEpsilon
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let conv = Conv2d(outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                          bias: batchNormEpsilon == nil)
        var x = try conv(input, &tracer, at: "conv")
        if let batchNormEpsilon { x = try BatchNorm(epsilon: batchNormEpsilon)(x, &tracer, at: "bn") }
        return try Activation.relu(x, &tracer, at: "relu")
    }
}
