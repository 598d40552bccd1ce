import ZooTensor

/// How close an output must be to its reference, element by element: |actual − reference|
/// ≤ rtol·|reference| + atol for floating point (NaN exactly where the reference has NaN,
/// the same infinities), exact for integers and bools; dtypes and shapes always equal.
public struct Tolerance: Sendable, CustomStringConvertible {
    public var rtol: Double
    public var atol: Double
    /// Zeros must carry the reference's sign (ops whose spec defines it, e.g. Neg).
    public var signedZeros: Bool

    public init(rtol: Double, atol: Double, signedZeros: Bool = false) {
        self.rtol = rtol
        self.atol = atol
        self.signedZeros = signedZeros
    }

    /// The fp32 tolerance against another runtime: rtol 1e-4 covers a few hundred float32
    /// roundings in a sum, or a transcendental's last bits; atol 1e-5 covers outputs near zero
    /// that are sums of terms of order 1 (dot products, normalisations), where cancellation
    /// leaves an absolute, not a relative, error.
    public static let float32 = Tolerance(rtol: 1e-4, atol: 1e-5)
    /// Bit for bit, zeros' signs included.
    public static let exact = Tolerance(rtol: 0, atol: 0, signedZeros: true)

    /// For a whole model's outputs against another framework's: float32 rounding through
    /// dozens of layers scales with the outputs' magnitude, so atol grows by `fraction` of the
    /// reference's largest magnitude.
    public static func wholeModel(_ reference: Tensor, rtol: Double = 1e-3, atol: Double = 1e-5,
                                  fraction: Double = 1e-4) -> Tolerance {
        let largest = reference.doubleValues.lazy.filter(\.isFinite).map(abs).max() ?? 0
        return Tolerance(rtol: rtol, atol: atol + fraction * largest)
    }

    public var description: String { "rtol \(rtol), atol \(atol)" + (signedZeros ? ", signed zeros" : "") }
}

extension Tensor {
    public func mismatch(against reference: Tensor, _ tolerance: Tolerance) -> Mismatch? {
        mismatch(against: reference, rtol: tolerance.rtol, atol: tolerance.atol, signedZeros: tolerance.signedZeros)
    }
}
