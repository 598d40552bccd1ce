/// The statistics every normalisation kernel takes of a contiguous run of floats, 16 lanes
/// at a time: the mean, and the sum of squared deviations from a given centre (two passes,
/// which keeps the variance accurate when the mean is large against the spread).
enum NormalizationStatistics {
    static func mean(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var sums = Float16x(repeating: 0), index = 0
        let raw = UnsafeRawPointer(x)
        while index + 16 <= count { sums += raw.vector(at: index); index += 16 }
        var total = sums.sum()
        while index < count { total += x[index]; index += 1 }
        return total / Float(max(count, 1))
    }

    /// Σ (x − centre)² / count: the variance about the mean, or the mean square about 0.
    static func meanSquare(_ x: UnsafePointer<Float>, count: Int, about centre: Float) -> Float {
        var sums = Float16x(repeating: 0), index = 0
        let raw = UnsafeRawPointer(x), centres = Float16x(repeating: centre)
        while index + 16 <= count {
            let deviation = raw.vector(at: index) - centres
            sums += deviation * deviation
            index += 16
        }
        var total = sums.sum()
        while index < count { total += (x[index] - centre) * (x[index] - centre); index += 1 }
        return total / Float(max(count, 1))
    }

    /// The mean and 1 / √(variance + ε) of a run.
    static func meanAndInverseDeviation(_ x: UnsafePointer<Float>, count: Int, epsilon: Float) -> (mean: Float, inverse: Float) {
        let mean = mean(x, count: count)
        return (mean, 1 / (meanSquare(x, count: count, about: mean) + epsilon).squareRoot())
    }

    /// y = x · factor + shift over a run.
    static func affine(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, factor: Float, shift: Float) {
        let factors = Float16x(repeating: factor), shifts = Float16x(repeating: shift)
        VectorMath.map(x, y, count: count) { $0 * factors + shifts }
    }
}
