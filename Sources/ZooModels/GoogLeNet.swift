// GoogLeNet (Inception v1): Szegedy et al., "Going deeper with convolutions", CVPR 2015, in
// torchvision's layout: every convolution is a BasicConv2d (no bias, BatchNorm with ε 0.001,
// ReLU) where the paper has biased convolutions and LRN; max pools use ceil mode; the third
// Inception branch is 3x3 where the paper's is 5x5 (`wideKernelSize` 5 restores it); dropout
// 0.2 before the classifier (the paper: 0.4). The auxiliary heads (training only, off by
// default) pool 14x14 → 4x4 with the paper's 5x5/3 average pool, where torchvision uses an
// adaptive pool whose uneven windows ONNX cannot express; their parameters are the same.

import ZooBlocks
import ZooGraph

public struct GoogLeNet: ImageClassifier {
    public var auxiliaryHeads: Bool
    /// 3 as torchvision (see above), 5 as the paper.
    public var wideKernelSize: Int
    public var classCount: Int
    public var imageSize: Size2D

    public static let torchvision = GoogLeNet()

    public init(auxiliaryHeads: Bool = false, wideKernelSize: Int = 3, classCount: Int = 1000, imageSize: Size2D = 224) {
        self.auxiliaryHeads = auxiliaryHeads
        self.wideKernelSize = wideKernelSize
        self.classCount = classCount
        self.imageSize = imageSize
    }

    public var inputs: [InputSpec] { [.image(channels: 3, size: imageSize)] }

    /// An Inception module with the channel counts of the paper's Table 1.
    private func inception(_ counts: (Int, Int, Int, Int, Int, Int)) -> Inception {
        Inception(counts.0, counts.1, counts.2, counts.3, counts.4, counts.5, wideKernelSize: wideKernelSize)
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let pool = MaxPool2d(3, stride: 2, ceilMode: true)
        var x = try Sequential([
            "conv1": BasicConv2d(64, kernelSize: 7, stride: 2, padding: 3),
            "maxpool1": pool,
            "conv2": BasicConv2d(64, kernelSize: 1),
            "conv3": BasicConv2d(192, kernelSize: 3, padding: 1),
            "maxpool2": pool,
            "inception3a": inception((64, 96, 128, 16, 32, 32)),
            "inception3b": inception((128, 128, 192, 32, 96, 64)),
            "maxpool3": pool,
            "inception4a": inception((192, 96, 208, 16, 48, 64)),
        ])(inputs[0], &tracer)
        var outputs: [(name: String, value: Value)] = []
        if auxiliaryHeads { outputs.append(("aux1", try auxiliaryHead(x, &tracer, at: "aux1"))) }
        x = try Sequential([
            "inception4b": inception((160, 112, 224, 24, 64, 64)),
            "inception4c": inception((128, 128, 256, 24, 64, 64)),
            "inception4d": inception((112, 144, 288, 32, 64, 64)),
        ])(x, &tracer)
        if auxiliaryHeads { outputs.append(("aux2", try auxiliaryHead(x, &tracer, at: "aux2"))) }
        let logits = try Sequential([
            "inception4e": inception((256, 160, 320, 32, 128, 128)),
            "maxpool4": MaxPool2d(2, stride: 2, ceilMode: true),
            "inception5a": inception((256, 160, 320, 32, 128, 128)),
            "inception5b": inception((384, 192, 384, 48, 128, 128)),
            "avgpool": GlobalAvgPool(),
            "flatten": Flatten(),
            "dropout": Dropout(0.2),
            "fc": Dense(classCount),
        ])(x, &tracer)
        return [("logits", logits)] + outputs
    }

    /// torchvision's `InceptionAux`: pool to 4x4, 1x1 conv to 128, dense 1024 with ReLU,
    /// dropout 0.7, dense to the classes.
    private func auxiliaryHead(_ input: Value, _ tracer: inout Tracer, at name: String) throws -> Value {
        try Sequential([
            "pool": AvgPool2d(5, stride: 3),
            "conv": BasicConv2d(128, kernelSize: 1),
            "flatten": Flatten(),
            "fc1": Dense(1024),
            "relu": Activation.relu,
            "dropout": Dropout(0.7),
            "fc2": Dense(classCount),
        ])(input, &tracer, at: name)
    }
}
