// ResNet: He, Zhang, Ren & Sun, "Deep residual learning for image recognition", CVPR 2016,
// in torchvision's layout: batch normalisation after every convolution, projection
// shortcuts (1x1 convolution + BatchNorm) only where the shape changes (the paper's option
// B), and for bottleneck blocks the "v1.5" stride placement (stride in the 3x3 convolution).
// `strideInFirstConvolution` restores the paper's v1 placement (stride in the first 1x1);
// the parameters are the same, the compute is not.

import ZooBlocks
import ZooGraph

public struct ResNet: ImageClassifier {
    public enum BlockKind: String, Sendable, Hashable, Codable { case basic, bottleneck }

    /// Blocks per stage; stage i has 64·2^i channels (times 4 at a bottleneck's output).
    public var blockCounts: [Int]
    public var block: BlockKind
    /// The paper's v1 stride placement for bottleneck blocks.
    public var strideInFirstConvolution: Bool
    public var classCount: Int
    public var imageSize: Size2D

    public init(blockCounts: [Int], block: BlockKind, strideInFirstConvolution: Bool = false,
                classCount: Int = 1000, imageSize: Size2D = 224) {
        self.blockCounts = blockCounts
        self.block = block
        self.strideInFirstConvolution = strideInFirstConvolution
        self.classCount = classCount
        self.imageSize = imageSize
    }

    public static let resnet18 = ResNet(blockCounts: [2, 2, 2, 2], block: .basic)
    public static let resnet34 = ResNet(blockCounts: [3, 4, 6, 3], block: .basic)
    public static let resnet50 = ResNet(blockCounts: [3, 4, 6, 3], block: .bottleneck)
    public static let resnet101 = ResNet(blockCounts: [3, 4, 23, 3], block: .bottleneck)
    public static let resnet152 = ResNet(blockCounts: [3, 8, 36, 3], block: .bottleneck)

    public var inputs: [InputSpec] { [.image(channels: 3, size: imageSize)] }

    public func validate() throws {
        try require(!blockCounts.isEmpty && blockCounts.allSatisfy { $0 >= 1 }, "ResNet",
                    "block counts \(blockCounts) must be positive, one per stage")
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        var x = try Sequential([
            "conv1": Conv2d(64, kernelSize: 7, stride: 2, padding: 3, bias: false),
            "bn1": BatchNorm(),
            "relu": Activation.relu,
            "maxpool": MaxPool2d(3, stride: 2, padding: 1),
        ])(inputs[0], &tracer)
        for (stage, count) in blockCounts.enumerated() {
            let channels = 64 << stage
            let blocks: [any Layer] = (0..<count).map { index in
                let stride = index == 0 && stage > 0 ? 2 : 1
                switch block {
                case .basic: return BasicBlock(channels: channels, stride: stride)
                case .bottleneck:
                    return Bottleneck(channels: channels, stride: stride, strideInFirstConvolution: strideInFirstConvolution)
                }
            }
            x = try Sequential(blocks)(x, &tracer, at: "layer\(stage + 1)")
        }
        let logits = try Sequential([
            "avgpool": GlobalAvgPool(),
            "flatten": Flatten(),
            "fc": Dense(classCount),
        ])(x, &tracer)
        return [("logits", logits)]
    }
}
