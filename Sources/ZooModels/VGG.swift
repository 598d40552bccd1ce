// VGG: Simonyan & Zisserman, "Very deep convolutional networks for large-scale image
// recognition", ICLR 2015, Table 1 configurations A, A-LRN, B, C, D, E (VGG-11, VGG-11 with
// LRN, VGG-13, VGG-16 with 1x1 convolutions, VGG-16, VGG-19), in torchvision's layout:
// a flat `features` list, an adaptive 7x7 average pool (the identity at 224x224), and
// `classifier.0/3/6`. The batch-normalised variants (torchvision's vgg*_bn, not in the paper)
// put BatchNorm after every convolution.

import ZooBlocks
import ZooGraph

public struct VGG: ImageClassifier {
    /// The stages: convolutions of each 2x2-pooled stage, as in the paper's Table 1.
    public var stages: [[VGGBlock.Convolution]]
    /// Configuration A-LRN: local response normalisation after the first convolution.
    public var localResponseNorm: Bool
    public var batchNorm: Bool
    /// The classifier's hidden layers (4096, 4096 in the paper).
    public var hiddenSizes: [Int]
    public var classCount: Int
    public var imageSize: Size2D

    public init(stages: [[VGGBlock.Convolution]], localResponseNorm: Bool = false, batchNorm: Bool = false,
                hiddenSizes: [Int] = [4096, 4096], classCount: Int = 1000, imageSize: Size2D = 224) {
        self.stages = stages
        self.localResponseNorm = localResponseNorm
        self.batchNorm = batchNorm
        self.hiddenSizes = hiddenSizes
        self.classCount = classCount
        self.imageSize = imageSize
    }

    public static let a = VGG(stages: [[64], [128], [256, 256], [512, 512], [512, 512]])
    public static let aLRN = VGG(stages: a.stages, localResponseNorm: true)
    public static let b = VGG(stages: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]])
    public static let c = VGG(stages: [[64, 64], [128, 128], [256, 256, .pointwise(256)],
                                       [512, 512, .pointwise(512)], [512, 512, .pointwise(512)]])
    public static let d = VGG(stages: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]])
    public static let e = VGG(stages: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512],
                                       [512, 512, 512, 512]])

    /// The same configuration with batch normalisation after every convolution.
    public var withBatchNorm: VGG {
        var copy = self
        copy.batchNorm = true
        return copy
    }

    public var inputs: [InputSpec] { [.image(channels: 3, size: imageSize)] }

    public func validate() throws {
        try require(!stages.isEmpty && stages.allSatisfy { !$0.isEmpty }, "VGG",
                    "needs at least one stage and a convolution in every stage, got \(stages.map(\.count)) convolutions per stage")
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let features = stages.enumerated().flatMap { index, convolutions in
            VGGBlock(convolutions, batchNorm: batchNorm, localResponseNorm: localResponseNorm && index == 0).layers
        }
        var x = try Sequential(features)(inputs[0], &tracer, at: "features")
        x = try AdaptiveAvgPool2d(7)(x, &tracer, at: "avgpool")
        x = try Flatten()(x, &tracer, at: "flatten")
        let classifier = ClassifierHead(hiddenSizes: hiddenSizes, classCount: classCount,
                                        dropoutPlacement: .afterHiddenActivation)
        return [("logits", try classifier(x, &tracer, at: "classifier"))]
    }
}

extension VGG {
    /// Configurations recorded before `hiddenSizes` existed decode with the paper's 4096, 4096.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            stages: try container.decode([[VGGBlock.Convolution]].self, forKey: .stages),
            localResponseNorm: try container.decode(Bool.self, forKey: .localResponseNorm),
            batchNorm: try container.decode(Bool.self, forKey: .batchNorm),
            hiddenSizes: try container.decodeIfPresent([Int].self, forKey: .hiddenSizes) ?? [4096, 4096],
            classCount: try container.decode(Int.self, forKey: .classCount),
            imageSize: try container.decode(Size2D.self, forKey: .imageSize))
    }
}
