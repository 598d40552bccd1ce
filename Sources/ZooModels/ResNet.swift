// ResNet: He, Zhang, Ren & Sun, "Deep residual learning for image recognition", CVPR 2016,
// in torchvision's layout: batch normalisation after every convolution, projection
// shortcuts (1x1 convolution + BatchNorm) only where the shape changes (the paper's option
// B), and for bottleneck blocks the "v1.5" stride placement (stride in the 3x3 convolution).
// `strideInFirstConvolution` restores the paper's v1 placement (stride in the first 1x1);
// the parameters are the same, the compute is not.
// Keras Applications' ResNet50 is v1 in Keras's style: biased convolutions and BatchNorm
// ε = 1.001e-5 (`ConvolutionStyle.keras`). Its ZeroPadding2D(3) + 7x7/2 valid convolution is
// our padding 3; its ZeroPadding2D(1) + 3x3/2 valid max pool pads with zeros, not −∞, yet
// equals our padded max pool because its input has just been through a ReLU (every window
// holds a real value ≥ 0 = the zero padding).

import ZooBlocks
import ZooGraph

public struct ResNet: ImageClassifier {
    public enum BlockKind: String, Sendable, Hashable, Codable { case basic, bottleneck }

    /// Blocks per stage; stage i has stageWidth·2^i channels (times 4 at a bottleneck's output).
    public var blockCounts: [Int]
    public var block: BlockKind
    /// The paper's v1 stride placement for bottleneck blocks.
    public var strideInFirstConvolution: Bool
    /// Convolution bias and BatchNorm ε of every convolution + BatchNorm pair.
    public var style: ConvolutionStyle
    /// Channels of the first stage (64 in the paper); the stem keeps 64.
    public var stageWidth: Int
    public var classCount: Int
    public var imageSize: Size2D

    public init(blockCounts: [Int], block: BlockKind, strideInFirstConvolution: Bool = false,
                style: ConvolutionStyle = .torchvision, stageWidth: Int = 64, classCount: Int = 1000, imageSize: Size2D = 224) {
        self.blockCounts = blockCounts
        self.block = block
        self.strideInFirstConvolution = strideInFirstConvolution
        self.style = style
        self.stageWidth = stageWidth
        self.classCount = classCount
        self.imageSize = imageSize
    }

    public static let resnet18 = ResNet(blockCounts: [2, 2, 2, 2], block: .basic)
    public static let resnet34 = ResNet(blockCounts: [3, 4, 6, 3], block: .basic)
    public static let resnet50 = ResNet(blockCounts: [3, 4, 6, 3], block: .bottleneck)
    public static let resnet101 = ResNet(blockCounts: [3, 4, 23, 3], block: .bottleneck)
    public static let resnet152 = ResNet(blockCounts: [3, 8, 36, 3], block: .bottleneck)
    /// Keras Applications' `ResNet50`, `ResNet101`, `ResNet152`.
    public static let resnet50Keras = ResNet(blockCounts: [3, 4, 6, 3], block: .bottleneck, strideInFirstConvolution: true,
                                             style: .keras)
    public static let resnet101Keras = ResNet(blockCounts: [3, 4, 23, 3], block: .bottleneck, strideInFirstConvolution: true,
                                              style: .keras)
    public static let resnet152Keras = ResNet(blockCounts: [3, 8, 36, 3], block: .bottleneck, strideInFirstConvolution: true,
                                              style: .keras)

    public var inputs: [InputSpec] { [.image(channels: 3, size: imageSize)] }

    public func validate() throws {
        try require(!blockCounts.isEmpty && blockCounts.allSatisfy { $0 >= 1 }, "ResNet",
                    "block counts \(blockCounts) must be positive, one per stage")
        try require((1...65536).contains(stageWidth), "ResNet", "stage width \(stageWidth) must be between 1 and 65536")
    }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        var x = try Sequential([
            "conv1": style.convolution(64, kernelSize: 7, stride: 2, padding: 3),
            "bn1": style.batchNorm,
            "relu": Activation.relu,
            "maxpool": MaxPool2d(3, stride: 2, padding: 1),
        ])(inputs[0], &tracer)
        for (stage, count) in blockCounts.enumerated() {
            let channels = stageWidth << stage
            let blocks: [any Layer] = (0..<count).map { index in
                let stride = index == 0 && stage > 0 ? 2 : 1
                switch block {
                case .basic: return BasicBlock(channels: channels, stride: stride, style: style)
                case .bottleneck:
                    return Bottleneck(channels: channels, stride: stride, strideInFirstConvolution: strideInFirstConvolution,
                                      style: style)
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

extension ResNet {
    /// Configurations recorded before `style` and `stageWidth` existed decode as torchvision's.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            blockCounts: try container.decode([Int].self, forKey: .blockCounts),
            block: try container.decode(BlockKind.self, forKey: .block),
            strideInFirstConvolution: try container.decode(Bool.self, forKey: .strideInFirstConvolution),
            style: try container.decodeIfPresent(ConvolutionStyle.self, forKey: .style) ?? .torchvision,
            stageWidth: try container.decodeIfPresent(Int.self, forKey: .stageWidth) ?? 64,
            classCount: try container.decode(Int.self, forKey: .classCount),
            imageSize: try container.decode(Size2D.self, forKey: .imageSize))
    }
}
