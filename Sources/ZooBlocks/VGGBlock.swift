/// A VGG stage (Simonyan & Zisserman 2014, Table 1): convolutions with ReLU (optionally batch
/// normalisation after each convolution, or one LRN after the first, configuration A-LRN),
/// then a 2x2 max pool halving the resolution. Its `layers` are meant to be spliced into a
/// flat feature list, which gives torchvision's `features.N` names.
public struct VGGBlock: Layer, Sendable, Hashable, Codable {
    /// One convolution of a stage: an integer literal is a 3x3 convolution with that many
    /// output channels; configuration C also has 1x1 ones.
    public struct Convolution: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral {
        public var channels: Int
        public var kernelSize: Int

        public init(channels: Int, kernelSize: Int) {
            self.channels = channels
            self.kernelSize = kernelSize
        }

        public init(integerLiteral channels: Int) { self.init(channels: channels, kernelSize: 3) }

        public static func pointwise(_ channels: Int) -> Convolution { Convolution(channels: channels, kernelSize: 1) }
    }

    public var convolutions: [Convolution]
    public var batchNorm: Bool
    public var localResponseNorm: Bool

    public init(_ convolutions: [Convolution], batchNorm: Bool = false, localResponseNorm: Bool = false) {
        self.convolutions = convolutions
        self.batchNorm = batchNorm
        self.localResponseNorm = localResponseNorm
    }

    public var layers: [any Layer] {
        var layers: [any Layer] = []
        for (index, convolution) in convolutions.enumerated() {
            let kernel = convolution.kernelSize
            layers.append(Conv2d(convolution.channels, kernelSize: Size2D(kernel), padding: Padding(integerLiteral: kernel / 2)))
            if batchNorm { layers.append(BatchNorm()) }
            layers.append(Activation.relu)
            if localResponseNorm && index == 0 { layers.append(LocalResponseNorm.krizhevsky) }
        }
        return layers + [MaxPool2d(2)]
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try Sequential(layers)(input, &tracer)
    }
}
