import ZooGraph

/// A fully connected layer, PyTorch's `nn.Linear`: `y = x Wᵀ + b` over the last axis.
/// Weight `[outputSize, inputSize]` (PyTorch layout), bias `[outputSize]`; input
/// `[..., inputSize]`, output `[..., outputSize]`. A rank-2 input traces one Gemm (transB);
/// a higher-rank input traces Transpose(W) → MatMul → Add, which a compiler folds.
public struct Dense: Layer, Sendable, Hashable, Codable {
    public var outputSize: Int
    public var bias: Bool
    /// The full name of an existing `[outputSize, inputSize]` parameter to use as the weight
    /// instead of declaring one (weight tying, e.g. `encoder.weight` of a language model).
    public var tiedWeight: String?

    public init(_ outputSize: Int, bias: Bool = true, tiedWeight: String? = nil) {
        self.outputSize = outputSize
        self.bias = bias
        self.tiedWeight = tiedWeight
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        let block = "Dense"
        try tracer.require(input.type.rank >= 2, block, "expects an input of rank 2 or more, got \(input.type)")
        let inputSize = try tracer.staticSize(of: input, axis: -1, block, role: "feature size")
        try tracer.require(outputSize >= 1, block, "output size is \(outputSize), must be positive")
        let weight = try weightValue(inputSize: inputSize, &tracer)
        let biasValue = bias ? try tracer.parameter("bias", shape: [outputSize], fill: .zeros) : nil

        if input.type.rank == 2 {
            return try tracer.apply(.gemm(GemmAttributes(transB: true)), [input, weight, biasValue].compactMap { $0 })
        }
        let transposed = try tracer.apply(.transpose(perm: [1, 0]), weight, role: "weight_t")
        guard let biasValue else { return try tracer.apply(.matMul, input, transposed) }
        let product = try tracer.apply(.matMul, input, transposed, role: "matmul")
        return try tracer.apply(.add, product, biasValue)
    }

    private func weightValue(inputSize: Int, _ tracer: inout Tracer) throws -> Value {
        guard let tiedWeight else {
            return try tracer.parameter("weight", shape: [outputSize, inputSize], fill: .heUniform(fanIn: inputSize))
        }
        guard let shared = tracer.parameter(named: tiedWeight) else {
            throw ConfigurationError.block(path: tracer.path, block: "Dense",
                                           message: "tied weight '\(tiedWeight)' is not a parameter declared before this layer")
        }
        try tracer.require(shared.type.dims == [.fixed(outputSize), .fixed(inputSize)], "Dense",
                           "tied weight '\(tiedWeight)' is \(shared.type), but this layer needs float32[\(outputSize),\(inputSize)]")
        return shared
    }
}
