import ZooGraph
import ZooTensor

/// Where each output index of one Resize axis reads: `taps` source indices (clamped into
/// the input, as edge padding would give) and their weights, computed once when the kernel
/// is prepared. The rules are the ONNX reference's (onnx.reference `op_resize.py`): the
/// source coordinate x of output index i comes from the coordinate transformation in
/// double precision; the taps are the `taps` cells nearest x, the left one preferred
/// (window start ⌈x⌉ − taps/2); nearest picks one of the two cells around x by its rounding
/// mode. Positions of tf_crop_and_resize whose x lies outside the input are `extrapolated`.
struct ResizeAxisSampling {
    let inputLength: Int
    let outputLength: Int
    let taps: Int
    /// `outputLength × taps` input indices, each in `0..<inputLength`.
    let sources: [Int]
    /// `outputLength × taps` weights (nearest: 1).
    let weights: [Float]
    /// Output indices that take the extrapolation value, ascending; empty when none do.
    let extrapolated: [Int]
    /// Per output index, whether it is extrapolated; empty when none is.
    let extrapolates: [Bool]

    @inline(__always)
    func isExtrapolated(_ position: Int) -> Bool { !extrapolates.isEmpty && extrapolates[position] }

    /// True when every output index reads its own input index with weight 1: the axis can
    /// be skipped.
    var isIdentity: Bool {
        guard inputLength == outputLength, extrapolated.isEmpty else { return false }
        for position in 0..<outputLength {
            for tap in 0..<taps {
                let weight = weights[position * taps + tap]
                guard weight == 0 || (weight == 1 && sources[position * taps + tap] == position) else { return false }
            }
        }
        return true
    }

    init(axis: Int, inputLength: Int, outputLength: Int, scale: Double, roi: (start: Double, end: Double)?,
         attributes: ResizeAttributes, _ context: KernelContext) throws(RuntimeError) {
        let taps = attributes.tapCount(scale: scale)
        let entries = try context.checked("the interpolation taps of axis \(axis)") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(outputLength, taps)
        }
        // Taps beyond the input's length only repeat edge cells; a filter wider than a
        // very long axis would be a hostile file.
        guard taps <= 2 * inputLength + 4 || outputLength == 0 else {
            throw context.fail("axis \(axis): \(taps) interpolation taps for an input of \(inputLength)")
        }
        (self.inputLength, self.outputLength, self.taps) = (inputLength, outputLength, taps)
        var sources = [Int](repeating: 0, count: entries), weights = [Float](repeating: 0, count: entries)
        var extrapolated: [Int] = []
        let length = Double(inputLength)
        let realOutput = scale * length
        // An empty output reads nothing, however wide its filter would be.
        var coefficients = [Double](repeating: 0, count: outputLength > 0 ? taps : 0)
        for position in 0..<outputLength {
            let x = Self.sourceCoordinate(Double(position), transformation: attributes.coordinateTransformation, scale: scale,
                                          inputLength: length, realOutput: realOutput, outputLength: Double(outputLength), roi: roi)
            if attributes.coordinateTransformation == .tfCropAndResize, !(x >= 0 && x <= length - 1) {
                extrapolated.append(position)
                continue
            }
            // The reference prefers the cell left of x: an integer x has ratio 1 to x − 1.
            let base = x == x.rounded(.down) ? x - 1 : x.rounded(.down)
            let ratio = x - base
            guard let left = try? CheckedArithmetic.integer(base) else {
                throw context.fail("axis \(axis): source coordinate \(x) of output \(position) is outside the 64-bit range")
            }
            let start = attributes.mode == .nearest ? left : left - taps / 2 + 1
            if attributes.mode == .nearest {
                sources[position] = Self.clamp(left + (Self.takesRight(ratio, attributes.nearestMode) ? 1 : 0), inputLength)
                weights[position] = 1
                continue
            }
            Self.fillCoefficients(&coefficients, ratio: ratio, scale: scale, attributes: attributes)
            if attributes.excludeOutside {
                for tap in 0..<taps where !(0..<inputLength).contains(start + tap) { coefficients[tap] = 0 }
                let sum = coefficients.reduce(0, +)
                if sum != 0 { for tap in 0..<taps { coefficients[tap] /= sum } }
            }
            for tap in 0..<taps {
                sources[position * taps + tap] = Self.clamp(start + tap, inputLength)
                weights[position * taps + tap] = Float(coefficients[tap])
            }
        }
        (self.sources, self.weights, self.extrapolated) = (sources, weights, extrapolated)
        extrapolates = extrapolated.isEmpty ? [] : (0..<outputLength).map(Set(extrapolated).contains)
    }

    private static func clamp(_ index: Int, _ length: Int) -> Int { min(max(index, 0), length - 1) }

    /// Whether nearest takes the right cell of the pair around x (`ratio` in (0, 1]).
    private static func takesRight(_ ratio: Double, _ mode: NearestMode) -> Bool {
        if ratio == 1 { return true }
        switch mode {
        case .roundPreferFloor: return ratio > 0.5
        case .roundPreferCeil: return ratio >= 0.5
        case .floor: return false
        case .ceil: return true
        }
    }

    /// The source coordinate of output index `x` (`realOutput` is scale · input length).
    static func sourceCoordinate(_ x: Double, transformation: CoordinateTransformation, scale: Double, inputLength n: Double,
                                 realOutput: Double, outputLength: Double, roi: (start: Double, end: Double)?) -> Double {
        switch transformation {
        case .alignCorners: return realOutput == 1 ? 0 : x * (n - 1) / (realOutput - 1)
        case .asymmetric: return x / scale
        case .tfCropAndResize:
            let (start, end) = roi ?? (0, 1)
            let offset = start * (n - 1)
            return realOutput == 1 ? (end - start) * (n - 1) / 2 + offset : x * (end - start) * (n - 1) / (realOutput - 1) + offset
        case .pytorchHalfPixel: return realOutput == 1 ? -0.5 : (x + 0.5) / scale - 0.5
        case .halfPixel: return (x + 0.5) / scale - 0.5
        case .halfPixelSymmetric:
            let offset = n / 2 * (1 - outputLength / realOutput)
            return offset + (x + 0.5) / scale - 0.5
        case .tfHalfPixelForNearest: return (x + 0.5) / scale
        }
    }

    /// The weights of the taps at offsets `1 − taps/2 …` from the left cell, `ratio` past it.
    private static func fillCoefficients(_ coefficients: inout [Double], ratio: Double, scale: Double, attributes: ResizeAttributes) {
        let a = Double(attributes.cubicCoefficientA)
        let taps = coefficients.count
        // Without antialias (or when upsampling) the filter keeps unit width.
        let stretch = attributes.antialias ? min(scale, 1) : 1
        let first = 1 - taps / 2
        for tap in 0..<taps {
            let distance = abs(Double(first + tap) - ratio) * stretch
            switch attributes.mode {
            case .linear: coefficients[tap] = max(0, 1 - distance)
            case .cubic:
                let (d2, d3) = (distance * distance, distance * distance * distance)
                coefficients[tap] = distance <= 1 ? (a + 2) * d3 - (a + 3) * d2 + 1
                    : distance < 2 ? a * d3 - 5 * a * d2 + 8 * a * distance - 4 * a : 0
            case .nearest: coefficients[tap] = 0
            }
        }
        guard attributes.antialias else { return }
        let sum = coefficients.reduce(0, +)
        if sum != 0 { for tap in 0..<taps { coefficients[tap] /= sum } }
    }
}
