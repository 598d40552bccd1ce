import ZooGraph

/// PyTorch's `nn.AdaptiveAvgPool2d(outputSize)`, in the cases ONNX can express exactly (the
/// same ones PyTorch's own exporter accepts, plus replication of a 1x1 map):
/// - input already `outputSize`: no node at all;
/// - output 1x1: GlobalAveragePool;
/// - input a multiple of the output: AveragePool with kernel = stride = input / output;
/// - input 1x1: Expand, which replicates the single cell as the adaptive pool does.
/// Anything else (e.g. 10x10 → 7x7, with overlapping uneven windows) is a configuration error.
public struct AdaptiveAvgPool2d: Layer, Sendable, Hashable, Codable {
    public var outputSize: Size2D

    public init(_ outputSize: Size2D) {
        self.outputSize = outputSize
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let block = "AdaptiveAvgPool2d"
        try tracer.require(input.type.rank == 4, block, "expects a [batch, channels, height, width] input, got \(input.type)")
        try tracer.require(outputSize.height >= 1 && outputSize.width >= 1, block, "output size \(outputSize) must be positive")
        let height = try tracer.staticSize(of: input, axis: 2, block, role: "height")
        let width = try tracer.staticSize(of: input, axis: 3, block, role: "width")
        let inputSize = Size2D(height: height, width: width)

        if inputSize == outputSize { return input }
        if outputSize == 1 { return try tracer.apply(.globalAveragePool, input) }
        if height % outputSize.height == 0 && width % outputSize.width == 0 {
            let window = Size2D(height: height / outputSize.height, width: width / outputSize.width)
            return try tracer.apply(.averagePool(PoolAttributes(kernelShape: window.values, strides: window.values)), input)
        }
        if inputSize == 1 {
            let shape = try tracer.integers([1, 1] + outputSize.values, role: "shape")
            return try tracer.apply(.expand, input, shape)
        }
        throw ConfigurationError.block(
            path: tracer.path, block: block,
            message: "cannot pool a \(inputSize) feature map to \(outputSize) with ONNX pooling; choose an input size that makes the feature map a multiple of \(outputSize) (or 1x1)")
    }
}
