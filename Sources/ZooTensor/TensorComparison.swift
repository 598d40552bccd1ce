/// Comparison as the tests state it, element by element, with `reference` as b:
/// - shapes and dtypes must be equal;
/// - integer and bool elements must be equal exactly (the tolerances do not apply);
/// - floating-point elements must satisfy |a − b| ≤ atol + rtol·|b|, with NaN only where
///   the reference has NaN and an infinity only where it has the same infinity;
/// - with `signedZeros`, a zero must also carry the reference zero's sign (for ops whose
///   spec defines it, e.g. Neg of ±0).
extension Tensor {
    public struct Mismatch: Sendable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case shape(actual: [Int], expected: [Int])
            case dtype(actual: DType, expected: DType)
            case values
        }

        public let kind: Kind
        /// The first differing element's flat index, actual and expected value (for `.values`).
        public let index: Int
        public let actual: Double
        public let expected: Double
        public let mismatchCount: Int
        public let maxAbsoluteDifference: Double

        public var description: String {
            switch kind {
            case .shape(let actual, let expected): return "shape \(actual), expected \(expected)"
            case .dtype(let actual, let expected): return "dtype \(actual), expected \(expected)"
            case .values:
                return "\(mismatchCount) elements differ; first at flat index \(index): \(Self.show(actual)) vs expected "
                    + "\(Self.show(expected)); max |difference| \(maxAbsoluteDifference)"
            }
        }

        /// Zeros keep their sign in messages, so a signed-zero mismatch reads as one.
        private static func show(_ value: Double) -> String { value == 0 && value.sign == .minus ? "-0.0" : "\(value)" }

        init(kind: Kind) {
            self.init(kind: kind, index: -1, actual: .nan, expected: .nan, mismatchCount: 0, maxAbsoluteDifference: .infinity)
        }

        init(kind: Kind, index: Int, actual: Double, expected: Double, mismatchCount: Int, maxAbsoluteDifference: Double) {
            self.kind = kind
            self.index = index
            self.actual = actual
            self.expected = expected
            self.mismatchCount = mismatchCount
            self.maxAbsoluteDifference = maxAbsoluteDifference
        }
    }

    /// nil when the tensors agree as described above; otherwise the first difference and,
    /// for values, how many elements differ.
    public func mismatch(against reference: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6,
                         signedZeros: Bool = false) -> Mismatch? {
        guard shape == reference.shape else { return Mismatch(kind: .shape(actual: shape, expected: reference.shape)) }
        guard dtype == reference.dtype else { return Mismatch(kind: .dtype(actual: dtype, expected: reference.dtype)) }
        if let actualIntegers = integerValues, let expectedIntegers = reference.integerValues {
            // Compared as Int, not Double: int64 values above 2^53 would otherwise collapse.
            return Self.firstDifference(actualIntegers, expectedIntegers, Double.init, agree: ==)
        }
        return Self.firstDifference(doubleValues, reference.doubleValues, { $0 }) { actual, expected in
            if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
            if actual == expected { return !signedZeros || actual.sign == expected.sign }
            if actual.isInfinite || expected.isInfinite { return false }
            return abs(actual - expected) <= atol + rtol * abs(expected)
        }
    }

    public func isClose(to reference: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6, signedZeros: Bool = false) -> Bool {
        mismatch(against: reference, rtol: rtol, atol: atol, signedZeros: signedZeros) == nil
    }

    /// The first pair that does not `agree`, how many do not, and the largest finite
    /// |difference| over all pairs.
    private static func firstDifference<Value>(_ actual: [Value], _ expected: [Value], _ asDouble: (Value) -> Double,
                                               agree: (Value, Value) -> Bool) -> Mismatch? {
        var first: (index: Int, actual: Double, expected: Double)?
        var count = 0
        var maxDifference = 0.0
        for (index, (actualValue, expectedValue)) in zip(actual, expected).enumerated() {
            let difference = abs(asDouble(actualValue) - asDouble(expectedValue))
            if difference.isFinite { maxDifference = max(maxDifference, difference) }
            guard !agree(actualValue, expectedValue) else { continue }
            count += 1
            if first == nil { first = (index, asDouble(actualValue), asDouble(expectedValue)) }
        }
        guard let first else { return nil }
        return Mismatch(kind: .values, index: first.index, actual: first.actual, expected: first.expected,
                        mismatchCount: count, maxAbsoluteDifference: maxDifference)
    }
}
