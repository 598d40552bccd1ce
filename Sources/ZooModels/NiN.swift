// Network in Network: Lin, Chen & Yan, ICLR 2014, in d2l.ai's layout (§8.3): one input
// channel (Fashion-MNIST resized to 224x224), NiN blocks of 96, 256, 384 channels with
// 3x3/2 max pools, dropout, a last NiN block with one channel per class, and global
// average pooling instead of dense layers. The paper's CIFAR/ImageNet models differ in
// channel counts and pooling.

import ZooBlocks
import ZooGraph

public struct NiN: ImageClassifier {
    public var inputChannels: Int
    public var classCount: Int
    public var imageSize: Size2D
    public var dropout: Float

    public init(inputChannels: Int = 1, classCount: Int = 10, imageSize: Size2D = 224, dropout: Float = 0.5) {
        self.inputChannels = inputChannels
        self.classCount = classCount
        self.imageSize = imageSize
        self.dropout = dropout
    }

    public static let d2l = NiN()

    public var inputs: [InputSpec] { [.image(channels: inputChannels, size: imageSize)] }

    public func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)] {
        let network = Sequential([
            NiNBlock(96, kernelSize: 11, stride: 4), MaxPool2d(3, stride: 2),
            NiNBlock(256, kernelSize: 5, padding: 2), MaxPool2d(3, stride: 2),
            NiNBlock(384, kernelSize: 3, padding: 1), MaxPool2d(3, stride: 2),
            Dropout(dropout),
            NiNBlock(classCount, kernelSize: 3, padding: 1),
            GlobalAvgPool(),
            Flatten(),
        ])
        return [("logits", try network(inputs[0], &tracer))]
    }
}
