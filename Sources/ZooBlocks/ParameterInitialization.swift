import ZooTensor

/// How a traced model's parameters get their values.
public enum ParameterInitialization: Sendable, Hashable, Codable {
    /// Every parameter is zero. Free even for large models (big zero tensors are lazily
    /// mapped pages), so this is the choice for shapes, counting and export of structure.
    case zeros
    /// Deterministic random values: each parameter draws from its own generator, seeded from
    /// the base seed and the parameter's name, so adding a layer does not change the others.
    case seeded(UInt64)
}

/// The values a parameter starts from under seeded initialisation.
public enum ParameterFill: Sendable, Hashable {
    /// He/Kaiming uniform, U(−√(6/fanIn), √(6/fanIn)): keeps activation variance through ReLU.
    case heUniform(fanIn: Int)
    /// U(−bound, bound).
    case uniform(bound: Float)
    case zeros
    case ones

    /// Unit-variance uniform, U(−√3, √3): embeddings.
    public static let unitVariance = ParameterFill.uniform(bound: Float(3).squareRoot())
}

extension ParameterInitialization {
    /// A float32 tensor of `shape` filled as `fill` asks (or zeros), for the parameter `name`.
    func tensor(shape: [Int], fill: ParameterFill, name: String) throws(TensorError) -> Tensor {
        guard case .seeded(let baseSeed) = self else { return try Tensor(zeros: shape) }
        switch fill {
        case .zeros:
            return try Tensor(zeros: shape)
        case .ones:
            let count = try ShapeArithmetic.elementCount(shape)
            return try Tensor(shape: shape, scalars: [Float](repeating: 1, count: count))
        case .heUniform(let fanIn):
            let bound = (6 / Float(max(fanIn, 1))).squareRoot()
            return try Tensor.random(shape: shape, distribution: .uniform(low: -bound, high: bound),
                                     seed: Self.seed(baseSeed, name))
        case .uniform(let bound):
            return try Tensor.random(shape: shape, distribution: .uniform(low: -bound, high: bound),
                                     seed: Self.seed(baseSeed, name))
        }
    }

    /// FNV-1a (64-bit) over the base seed's little-endian bytes, then the name's UTF-8: stable
    /// across runs, machines and Swift versions, unlike `Hasher`.
    static func seed(_ baseSeed: UInt64, _ name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let seedBytes = (0..<8).map { UInt8(truncatingIfNeeded: baseSeed >> (8 * $0)) }
        for byte in seedBytes + Array(name.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
