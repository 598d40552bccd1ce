import Foundation

/// SplitMix64: a tiny, well-tested generator whose output depends only on the seed, so
/// seeded initialisation gives the same numbers on every machine and Swift version
/// (Swift's own `SystemRandomNumberGenerator` cannot be seeded).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits: exactly representable as a Float, so the
    /// same on every machine.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }
}

/// How `Tensor.random` draws its elements.
public enum RandomDistribution: Sendable, Hashable {
    case uniform(low: Float, high: Float)
    /// Box–Muller from two uniforms; uses libm's log and cos, so it is reproducible across
    /// machines with the same C library.
    case normal(mean: Float, standardDeviation: Float)
}

extension Tensor {
    /// A float32 tensor of seeded random values.
    public static func random(
        shape: [Int], distribution: RandomDistribution = .uniform(low: -1, high: 1), seed: UInt64
    ) throws(TensorError) -> Tensor {
        var generator = SplitMix64(seed: seed)
        var tensor = try Tensor(zeros: shape, dtype: .float32)
        tensor.withUnsafeMutableBytes { bytes in
            let values = bytes.bindMemory(to: Float.self)
            for index in values.indices {
                switch distribution {
                case .uniform(let low, let high):
                    values[index] = low + (high - low) * generator.nextUnitFloat()
                case .normal(let mean, let standardDeviation):
                    let u1 = Double(generator.nextUnitFloat()) + 0x1p-25  // never log(0)
                    let u2 = Double(generator.nextUnitFloat())
                    let gaussian = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                    values[index] = mean + standardDeviation * Float(gaussian)
                }
            }
        }
        return tensor
    }
}
