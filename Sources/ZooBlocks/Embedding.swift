import ZooGraph

/// A lookup table, PyTorch's `nn.Embedding`: integer ids `[...]` → rows of `weight`
/// `[count, dimension]`, giving `[..., dimension]` (one Gather).
public struct Embedding: Layer, Sendable, Hashable, Codable {
    public var count: Int
    public var dimension: Int

    public init(count: Int, dimension: Int) {
        self.count = count
        self.dimension = dimension
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.require(count >= 1 && dimension >= 1, "Embedding",
                           "a \(count) x \(dimension) table is impossible, both sizes must be positive")
        let weight = try tracer.parameter("weight", shape: [count, dimension], fill: .unitVariance)
        return try tracer.apply(.gather(axis: 0), weight, input)
    }
}
