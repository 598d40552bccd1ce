// AlexNet: Krizhevsky, Sutskever & Hinton, "ImageNet classification with deep convolutional
// neural networks", NeurIPS 2012.
// - `torchvision`: torchvision's single-tower layout (64-192-384-256-256 channels, no LRN,
//   adaptive 6x6 average pool, dropout before the hidden dense layers) — 61,100,840 params.
// - `original`: the paper's two-tower form on 227x227 (the paper's "224" does not give its
//   55x55 maps): conv2, conv4 and conv5 grouped in two (one group per GPU), LRN after conv1
//   and conv2 (k = 2, n = 5, α = 1e-4, β = 0.75) — 60,965,224 params, as Caffe's bvlc_alexnet.
// - `course`: the course table's (and d2l.ai's) single-tower form: 96-256-384-384-256
//   channels, conv1 11x11 stride 4 padding 1 on 224x224, no grouping or LRN, 256x5x5 = 6400
//   flattened features, dropout after the hidden activations.
// All three use torchvision's names (features.N, classifier.N).

import ZooBlocks
import ZooGraph

public struct AlexNet: ImageClassifier {
    /// One convolution of the feature extractor, with what follows its ReLU.
    public struct Convolution: Sendable, Hashable, Codable {
        public var channels: Int
        public var kernelSize: Int
        public var stride: Int
        public var padding: Int
        public var groups: Int
        /// Local response normalisation after the ReLU.
        public var normalized: Bool
        /// A 3x3/2 max pool at the end.
        public var pooled: Bool

        public init(channels: Int, kernelSize: Int, stride: Int = 1, padding: Int, groups: Int = 1,
                    normalized: Bool = false, pooled: Bool = false) {
            self.channels = channels
            self.kernelSize = kernelSize
            self.stride = stride
            self.padding = padding
            self.groups = groups
            self.normalized = normalized
            self.pooled = pooled
        }
    }

    public var convolutions: [Convolution]
    /// torchvision's adaptive average pool before the classifier; nil for none.
    public var pooledSize: Int?
    public var hiddenSize: Int
    public var dropoutPlacement: ClassifierHead.DropoutPlacement
    public var classCount: Int
    public var imageSize: Size2D

    public init(convolutions: [Convolution], pooledSize: Int?, hiddenSize: Int = 4096,
                dropoutPlacement: ClassifierHead.DropoutPlacement, classCount: Int = 1000, imageSize: Size2D) {
        self.convolutions = convolutions
        self.pooledSize = pooledSize
        self.hiddenSize = hiddenSize
        self.dropoutPlacement = dropoutPlacement
        self.classCount = classCount
        self.imageSize = imageSize
    }

    public static let torchvision = AlexNet(
        convolutions: [
            Convolution(channels: 64, kernelSize: 11, stride: 4, padding: 2, pooled: true),
            Convolution(channels: 192, kernelSize: 5, padding: 2, pooled: true),
            Convolution(channels: 384, kernelSize: 3, padding: 1),
            Convolution(channels: 256, kernelSize: 3, padding: 1),
            Convolution(channels: 256, kernelSize: 3, padding: 1, pooled: true),
        ],
        pooledSize: 6, dropoutPlacement: .beforeHiddenDense, imageSize: 224)

    public static let original = AlexNet(
        convolutions: [
            Convolution(channels: 96, kernelSize: 11, stride: 4, padding: 0, normalized: true, pooled: true),
            Convolution(channels: 256, kernelSize: 5, padding: 2, groups: 2, normalized: true, pooled: true),
            Convolution(channels: 384, kernelSize: 3, padding: 1),
            Convolution(channels: 384, kernelSize: 3, padding: 1, groups: 2),
            Convolution(channels: 256, kernelSize: 3, padding: 1, groups: 2, pooled: true),
        ],
        pooledSize: nil, dropoutPlacement: .beforeHiddenDense, imageSize: 227)

    public static let course = AlexNet(
        convolutions: [
            Convolution(channels: 96, kernelSize: 11, stride: 4, padding: 1, pooled: true),
            Convolution(channels: 256, kernelSize: 5, padding: 2, pooled: true),
            Convolution(channels: 384, kernelSize: 3, padding: 1),
            Convolution(channels: 384, kernelSize: 3, padding: 1),
            Convolution(channels: 256, kernelSize: 3, padding: 1, pooled: true),
        ],
        pooledSize: nil, dropoutPlacement: .afterHiddenActivation, imageSize: 224)

    public var inputs: [InputSpec] { [.image(channels: 3, size: imageSize)] }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        var features: [any Layer] = []
        for convolution in convolutions {
            features.append(Conv2d(convolution.channels, kernelSize: Size2D(convolution.kernelSize),
                                   stride: Size2D(convolution.stride), padding: Padding(integerLiteral: convolution.padding),
                                   groups: convolution.groups))
            features.append(Activation.relu)
            if convolution.normalized { features.append(LocalResponseNorm.krizhevsky) }
            if convolution.pooled { features.append(MaxPool2d(3, stride: 2)) }
        }
        var x = try Sequential(features)(inputs[0], &tracer, at: "features")
        if let pooledSize { x = try AdaptiveAvgPool2d(Size2D(pooledSize))(x, &tracer, at: "avgpool") }
        x = try Flatten()(x, &tracer, at: "flatten")
        let classifier = ClassifierHead(hiddenSizes: [hiddenSize, hiddenSize], classCount: classCount,
                                        dropoutPlacement: dropoutPlacement)
        return [("logits", try classifier(x, &tracer, at: "classifier"))]
    }
}
