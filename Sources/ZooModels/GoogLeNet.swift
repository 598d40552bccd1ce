// GoogLeNet (Inception v1): Szegedy et al., "Going deeper with convolutions", CVPR 2015, in
// torchvision's layout: every convolution is a BasicConv2d (no bias, BatchNorm with ε 0.001,
// ReLU) where the paper has biased convolutions and LRN; max pools use ceil mode; the third
// Inception branch is 3x3 where the paper's is 5x5 (`wideKernelSize` 5 restores it); dropout
// 0.2 before the classifier (the paper: 0.4). The auxiliary heads (training only, off by
// default) pool 14x14 → 4x4 with the paper's 5x5/3 average pool, where torchvision uses an
// adaptive pool whose uneven windows ONNX cannot express; their parameters are the same.
// `transformInput` is torchvision's `transform_input`, on for its pretrained weights: the
// network was trained (in Google's port) on inputs scaled to [-1, 1], so it turns an
// ImageNet-normalised image back into that range, (x·σ + μ − 0.5) / 0.5 per channel.

import ZooBlocks
import ZooGraph
import ZooTensor

public struct GoogLeNet: ImageClassifier {
    public var auxiliaryHeads: Bool
    /// 3 as torchvision (see above), 5 as the paper.
    public var wideKernelSize: Int
    /// torchvision's `transform_input` (see above).
    public var transformInput: Bool
    public var classCount: Int
    public var imageSize: Size2D

    public static let torchvision = GoogLeNet()
    /// As torchvision builds it for its pretrained weights (`googlenet(weights=...)`).
    public static let torchvisionPretrained = GoogLeNet(transformInput: true)

    public init(auxiliaryHeads: Bool = false, wideKernelSize: Int = 3, transformInput: Bool = false, classCount: Int = 1000,
                imageSize: Size2D = 224) {
        self.auxiliaryHeads = auxiliaryHeads
        self.wideKernelSize = wideKernelSize
        self.transformInput = transformInput
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
        let image = transformInput ? try Self.transformedInput(inputs[0], &tracer) : inputs[0]
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
        ])(image, &tracer)
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

    /// torchvision's `_transform_input`: channel c becomes x·(σ_c / 0.5) + (μ_c − 0.5) / 0.5 with
    /// ImageNet's mean μ and deviation σ, as constants (not parameters: no weights file has them).
    private static func transformedInput(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let (mean, deviation): ([Float], [Float]) = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        let scale = try tracer.constant(Tensor(shape: [1, 3, 1, 1], scalars: deviation.map { $0 / 0.5 }), role: "transform_input_scale")
        let shift = try tracer.constant(Tensor(shape: [1, 3, 1, 1], scalars: mean.map { ($0 - 0.5) / 0.5 }), role: "transform_input_shift")
        return try tracer.apply(.add, try tracer.apply(.mul, input, scale), shift, role: "transform_input")
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

extension GoogLeNet {
    /// Configurations recorded before `transformInput` existed decode without it, as they ran.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            auxiliaryHeads: try container.decode(Bool.self, forKey: .auxiliaryHeads),
            wideKernelSize: try container.decode(Int.self, forKey: .wideKernelSize),
            transformInput: try container.decodeIfPresent(Bool.self, forKey: .transformInput) ?? false,
            classCount: try container.decode(Int.self, forKey: .classCount),
            imageSize: try container.decode(Size2D.self, forKey: .imageSize))
    }
}
