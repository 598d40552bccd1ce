/// Comparison with tolerance, as the tests state it: |a - b| ≤ atol + rtol·|b| element-wise,
/// where `reference` is b.
extension Tensor {
    public struct Mismatch: Sendable, CustomStringConvertible {
        public let index: Int
        public let actual: Double
        public let expected: Double
        public let mismatchCount: Int
        public let maxAbsoluteDifference: Double

        public var description: String {
            "\(mismatchCount) elements differ; first at flat index \(index): \(actual) vs expected \(expected); "
                + "max |difference| \(maxAbsoluteDifference)"
        }
    }

    /// nil when every element is within tolerance (NaN matches NaN); otherwise the first
    /// mismatch and how many there are. A shape difference is reported at index -1.
    public func mismatch(against reference: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6) -> Mismatch? {
        guard shape == reference.shape else {
            return Mismatch(index: -1, actual: .nan, expected: .nan, mismatchCount: max(elementCount, reference.elementCount),
                            maxAbsoluteDifference: .infinity)
        }
        let actualValues = doubleValues
        let expectedValues = reference.doubleValues
        var first: (Int, Double, Double)?
        var count = 0
        var maxDifference = 0.0
        for (index, (actual, expected)) in zip(actualValues, expectedValues).enumerated() {
            if actual.isNaN && expected.isNaN { continue }
            let difference = abs(actual - expected)
            if !(difference <= atol + rtol * abs(expected)) && actual != expected {
                count += 1
                if first == nil { first = (index, actual, expected) }
            }
            if difference.isFinite { maxDifference = max(maxDifference, difference) }
        }
        guard let first else { return nil }
        return Mismatch(index: first.0, actual: first.1, expected: first.2, mismatchCount: count,
                        maxAbsoluteDifference: maxDifference)
    }

    public func isClose(to reference: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6) -> Bool {
        mismatch(against: reference, rtol: rtol, atol: atol) == nil
    }
}
