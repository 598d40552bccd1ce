import ZooGraph

/// GridSample over `[N, C, D1…Dr]` (r = 2 or 3, float32) at the grid's points `[N, O…, r]`,
/// as onnxruntime and PyTorch compute it: each normalised coordinate becomes a pixel
/// position (align_corners picks whether ±1 are corner centres or edges), rounded half to
/// even for nearest; for nearest and linear a position outside the image is clamped (border)
/// or reflected (reflection); then the taps around it (1, 2 or 4 per axis for nearest,
/// linear, cubic with Keys' a = −0.75) are read, a tap outside the image reading 0 (zeros),
/// the nearest border pixel (border) or its reflection (reflection). A point's taps and
/// weights serve every channel; points are spread over threads.
struct GridSampleKernel: Kernel {
    let attributes: GridSampleAttributes
    let batchCount: Int
    let channelCount: Int
    /// Image sizes, outermost first, and their row-major strides.
    let imageShape: [Int]
    let imageStrides: [Int]
    let pointCount: Int
    let threads: Int

    private var spatialRank: Int { imageShape.count }
    private var tapsPerAxis: Int { switch attributes.mode { case .nearest: 1; case .linear: 2; case .cubic: 4 } }

    static func prepare(_ context: KernelContext, _ attributes: GridSampleAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let image = try context.floatType(0), grid = try context.floatType(1)
        guard image.rank == 4 || image.rank == 5, grid.rank == image.rank, grid.shape.last == image.rank - 2,
              grid.shape[0] == image.shape[0] else {
            throw context.fail("X \(image) and grid \(grid) must be [N, C, spatial…] and [N, points…, \(image.rank - 2)]")
        }
        let imageShape = Array(image.shape[2...])
        let kernel = GridSampleKernel(attributes: attributes, batchCount: image.shape[0], channelCount: image.shape[1], imageShape: imageShape,
                                      imageStrides: StridedLayout.rowMajorStrides(imageShape),
                                      pointCount: grid.shape[1..<(grid.rank - 1)].reduce(1, *), threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, [image.shape[0], image.shape[1]] + grid.shape[1..<(grid.rank - 1)])])
    }

    func run(_ io: KernelIO) {
        let image = io.floats(0), grid = io.floats(1), output = io.outputFloats(0)
        let imageSize = imageStrides[0] * imageShape[0]
        let tapCount = (0..<spatialRank).reduce(1) { product, _ in product * tapsPerAxis }
        Parallel.forRanges(batchCount * pointCount, threads: threads, minimumChunk: max(1, 4096 / max(1, channelCount * tapCount))) { range in
            // Two halves: one axis's taps are combined with the previous axes' from one half into the other.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * tapCount) { offsets in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * tapCount) { weights in
                    guard let offsets = offsets.baseAddress, let weights = weights.baseAddress else { return }
                    for item in range {
                        let batch = item / pointCount, point = item % pointCount
                        let (first, taps) = gatherTaps(grid + item * spatialRank, offsets, weights, half: tapCount)
                        for channel in 0..<channelCount {
                            let plane = image + (batch * channelCount + channel) * imageSize
                            var sum: Float = 0
                            for tap in first..<(first + taps) { sum += weights[tap] * plane[offsets[tap]] }
                            output[(batch * channelCount + channel) * pointCount + point] = sum
                        }
                    }
                }
            }
        }
    }

    /// Writes the image offsets and weights of one point's taps that read a pixel (a tap
    /// outside the image with zeros padding reads none); returns where they start and how many.
    private func gatherTaps(_ coordinates: UnsafePointer<Float>, _ offsets: UnsafeMutablePointer<Int>,
                            _ weights: UnsafeMutablePointer<Float>, half: Int) -> (first: Int, count: Int) {
        var source = 0, count = 1
        offsets[0] = 0
        weights[0] = 1
        // Axes outermost first; the grid holds the innermost axis's coordinate first.
        for axis in 0..<spatialRank {
            let axisTaps = GridSampleAxis(length: imageShape[axis], coordinate: coordinates[spatialRank - 1 - axis], attributes)
            let destination = half - source
            var written = 0
            for existing in source..<(source + count) {
                for tap in 0..<axisTaps.count {
                    let index = axisTaps.indices[tap]
                    guard index >= 0 else { continue }
                    offsets[destination + written] = offsets[existing] + index * imageStrides[axis]
                    weights[destination + written] = weights[existing] * axisTaps.weights[tap]
                    written += 1
                }
            }
            (source, count) = (destination, written)
        }
        return (source, count)
    }
}

/// The taps of one point along one axis: pixel indices (−1 for one that reads 0) and weights,
/// at most 4, held inline (no allocation per point).
struct GridSampleAxis {
    var indices = SIMD4<Int>(repeating: -1)
    var weights = SIMD4<Float>(repeating: 0)
    private(set) var count = 0

    init(length: Int, coordinate normalised: Float, _ attributes: GridSampleAttributes) {
        let length = Float(length)
        var position = attributes.alignCorners ? (normalised + 1) / 2 * (length - 1) : ((normalised + 1) * length - 1) / 2
        if attributes.mode == .nearest { position = position.rounded(.toNearestOrEven) }
        let (low, high) = attributes.alignCorners ? (Float(0), length - 1) : (Float(-0.5), length - 0.5)
        // Cubic pads each tap instead (PyTorch's bicubic, which onnxruntime follows; the onnx
        // reference clamps the point too, which differs with border padding).
        if attributes.mode != .cubic, position < low || position > high {
            switch attributes.padding {
            case .zeros: break
            case .border: position = min(max(position, 0), length - 1)
            case .reflection: position = Self.reflect(position, low, high)
            }
        }
        let base = position.rounded(.down), fraction = position - base
        switch attributes.mode {
        case .nearest: add(Self.index(position), 1, attributes, length, low, high)
        case .linear:
            add(Self.index(base), 1 - fraction, attributes, length, low, high)
            add(Self.index(base) + 1, fraction, attributes, length, low, high)
        case .cubic:
            let coefficients = Self.cubicCoefficients(fraction)
            for tap in 0..<4 { add(Self.index(base) - 1 + tap, coefficients[tap], attributes, length, low, high) }
        }
    }

    /// A tap at pixel `index`, moved into the image or dropped by the padding mode.
    private mutating func add(_ index: Int, _ weight: Float, _ attributes: GridSampleAttributes, _ length: Float, _ low: Float, _ high: Float) {
        let last = Int(length) - 1
        let resolved: Int
        switch attributes.padding {
        case .zeros: resolved = (0...last).contains(index) ? index : -1
        case .border: resolved = min(max(index, 0), last)
        case .reflection: resolved = min(max(Self.index(Self.reflect(Float(index), low, high)), 0), last)
        }
        indices[count] = resolved
        weights[count] = weight
        count += 1
    }

    /// A position truncated toward zero, as the reference converts it; a position beyond any
    /// image (or NaN) becomes one far outside, so taps around it stay representable.
    private static func index(_ position: Float) -> Int {
        let limit: Float = 1e12
        guard position.magnitude < limit else { return -(1 << 42) }
        return Int(position.rounded(.towardZero))
    }

    /// `position` reflected at `low` and `high` until it lies between them.
    static func reflect(_ position: Float, _ low: Float, _ high: Float) -> Float {
        let range = high - low
        guard range > 0, position.isFinite else { return low }
        if position < low {
            let distance = low - position, folds = (distance / range).rounded(.towardZero)
            let rest = distance - folds * range
            return folds.truncatingRemainder(dividingBy: 2) == 0 ? low + rest : high - rest
        }
        if position > high {
            let distance = position - high, folds = (distance / range).rounded(.towardZero)
            let rest = distance - folds * range
            return folds.truncatingRemainder(dividingBy: 2) == 0 ? high - rest : low + rest
        }
        return position
    }

    /// Keys' cubic convolution weights (a = −0.75) of the taps at −1, 0, 1, 2 from the base
    /// pixel, for a point `t` ∈ [0, 1) past it.
    static func cubicCoefficients(_ t: Float) -> SIMD4<Float> {
        let a: Float = -0.75
        func outer(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        func inner(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        return [outer(t + 1), inner(t), inner(1 - t), outer(2 - t)]
    }
}
