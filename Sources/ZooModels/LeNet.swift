// LeNet-5: LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to document
// recognition", Proc. IEEE 1998; layout of d2l.ai §7.6 on a 32x32 input (no padding).
// Departures from the paper: C3 connects to all S2 maps (the paper's sparse connection
// table), pooling is plain average or max pooling (the paper's has trainable coefficient and
// bias), the activation is a plain sigmoid or tanh (the paper's is 1.7159·tanh(2a/3)), and
// the output is a dense layer (the paper's is RBF units). The ReLU/max-pool variant is the
// modern reading.

import ZooBlocks
import ZooGraph

/// LeNet-5: conv 6@5x5 → pool 2x2 → conv 16@5x5 → pool 2x2 → dense 120 → 84 → classes.
/// Children `features.0/3` (convolutions) and `classifier.0/2/4` (dense layers).
public struct LeNet: ImageClassifier {
    public enum Pooling: String, Sendable, Hashable, Codable { case average, max }

    public var activation: Activation
    public var pooling: Pooling
    public var classCount: Int
    public var imageSize: Size2D

    public init(activation: Activation, pooling: Pooling, classCount: Int = 10, imageSize: Size2D = 32) {
        self.activation = activation
        self.pooling = pooling
        self.classCount = classCount
        self.imageSize = imageSize
    }

    public static let classic = LeNet(activation: .sigmoid, pooling: .average)
    public static let relu = LeNet(activation: .relu, pooling: .max)

    public var inputs: [InputSpec] { [.image(channels: 1, size: imageSize)] }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let pool: any Layer = pooling == .average ? AvgPool2d(2) : MaxPool2d(2)
        let features = Sequential([
            Conv2d(6, kernelSize: 5), activation, pool,
            Conv2d(16, kernelSize: 5), activation, pool,
        ])
        let classifier = ClassifierHead(hiddenSizes: [120, 84], classCount: classCount, activation: activation,
                                        dropoutPlacement: .none)
        var x = try features(inputs[0], &tracer, at: "features")
        x = try Flatten()(x, &tracer, at: "flatten")
        return [("logits", try classifier(x, &tracer, at: "classifier"))]
    }
}
