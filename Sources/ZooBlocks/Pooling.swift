import ZooGraph

/// Max pooling, PyTorch's `nn.MaxPool2d`: each output cell is the maximum of a
/// `kernelSize` window; output size per axis `⌊(n + 2p − k) / s⌋ + 1` (ceiling with
/// `ceilMode`, never starting a window in the end padding).
public struct MaxPool2d: Layer, Sendable, Hashable, Codable {
    public var kernelSize: Size2D
    public var stride: Size2D
    public var padding: Padding
    public var ceilMode: Bool

    /// `stride` defaults to the kernel size, as in PyTorch.
    public init(_ kernelSize: Size2D, stride: Size2D? = nil, padding: Padding = 0, ceilMode: Bool = false) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let attributes = try poolAttributes(kernelSize, stride, padding, ceilMode: ceilMode, countIncludePad: false,
                                            block: "MaxPool2d", tracer)
        return try tracer.apply(.maxPool(attributes), input)
    }
}

/// Average pooling, PyTorch's `nn.AvgPool2d`: the mean of each window. With
/// `countIncludePad` (PyTorch's default) padded cells count in the divisor.
public struct AvgPool2d: Layer, Sendable, Hashable, Codable {
    public var kernelSize: Size2D
    public var stride: Size2D
    public var padding: Padding
    public var ceilMode: Bool
    public var countIncludePad: Bool

    public init(_ kernelSize: Size2D, stride: Size2D? = nil, padding: Padding = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let attributes = try poolAttributes(kernelSize, stride, padding, ceilMode: ceilMode,
                                            countIncludePad: countIncludePad, block: "AvgPool2d", tracer)
        return try tracer.apply(.averagePool(attributes), input)
    }
}

/// Checks a pooling configuration as PyTorch does (padding at most half the kernel) and
/// turns it into ONNX attributes.
private func poolAttributes(_ kernelSize: Size2D, _ stride: Size2D, _ padding: Padding, ceilMode: Bool,
                            countIncludePad: Bool, block: String, _ tracer: Tracer) throws -> PoolAttributes {
    try tracer.require((kernelSize.values + stride.values).allSatisfy { $0 >= 1 }, block,
                       "kernel \(kernelSize) and stride \(stride) must be positive")
    let pads = padding.onnxPads
    try tracer.require(pads.allSatisfy { $0 >= 0 }, block, "padding \(pads) must not be negative")
    try tracer.require(max(padding.top, padding.bottom) <= kernelSize.height / 2
                       && max(padding.left, padding.right) <= kernelSize.width / 2, block,
                       "padding \(pads) must be at most half the \(kernelSize) kernel")
    return PoolAttributes(kernelShape: kernelSize.values, strides: stride.values, pads: pads, ceilMode: ceilMode,
                          countIncludePad: countIncludePad)
}

/// The mean over all spatial positions: `[batch, C, H, W] → [batch, C, 1, 1]`.
public struct GlobalAvgPool: Layer, Sendable, Hashable, Codable {
    public init() {}

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.apply(.globalAveragePool, input)
    }
}
