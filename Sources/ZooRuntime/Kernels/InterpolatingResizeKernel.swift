import ZooGraph

/// Linear and cubic Resize in float32, one axis at a time (the interpolation is separable):
/// each pass views its input as `[outer, length, inner]` and writes `[outer, resized,
/// inner]`, every output row the weighted sum of its taps' rows. Rows of the inner axes are
/// summed 16 lanes wide; the last axis, whose rows are single cells, gathers per cell. Axes
/// that map every index to itself are skipped, the others are resized shrinking ones first
/// (the passes after them have less to read), the last axis before others of the same
/// ratio. Intermediate results live in two scratch buffers; the last pass writes the output.
struct InterpolatingResizeKernel: Kernel {
    struct Pass {
        let axis: ResizeAxisSampling
        let outer: Int
        let inner: Int
    }

    let passes: [Pass]
    /// Floats of the larger intermediate result, rounded up to 16 (64 bytes).
    let intermediateCount: Int
    let copiesInput: Int
    let extrapolationValue: Float
    let threads: Int

    init(sampling: [ResizeAxisSampling], inputShape: [Int], extrapolationValue: Float, threads: Int) {
        var shape = inputShape
        var remaining = sampling.indices.filter { !sampling[$0].isIdentity }
        var passes: [Pass] = [], largest = 0
        while let next = remaining.min(by: { first, second in
            let (a, b) = (sampling[first], sampling[second])
            let (left, right) = (a.outputLength * b.inputLength, b.outputLength * a.inputLength)
            return left != right ? left < right : first > second
        }) {
            remaining.removeAll { $0 == next }
            passes.append(Pass(axis: sampling[next], outer: shape[..<next].reduce(1, *), inner: shape[(next + 1)...].reduce(1, *)))
            shape[next] = sampling[next].outputLength
            if !remaining.isEmpty { largest = max(largest, shape.reduce(1, *)) }
        }
        self.passes = passes
        intermediateCount = (largest + 15) / 16 * 16
        copiesInput = passes.isEmpty ? inputShape.reduce(1, *) : 0
        self.extrapolationValue = extrapolationValue
        self.threads = threads
    }

    var scratchByteCount: Int { 2 * intermediateCount * MemoryLayout<Float>.stride }

    func run(_ io: KernelIO) {
        guard !passes.isEmpty else {
            io.output(0).copyMemory(from: io.input(0), byteCount: copiesInput * MemoryLayout<Float>.stride)
            return
        }
        let scratch = io.scratch?.assumingMemoryBound(to: Float.self)
        var source = io.floats(0)
        for (index, pass) in passes.enumerated() {
            let destination = index == passes.count - 1 ? io.outputFloats(0) : scratch! + (index % 2) * intermediateCount
            run(pass, from: source, to: destination)
            source = UnsafePointer(destination)
        }
    }

    private func run(_ pass: Pass, from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>) {
        let axis = pass.axis, inner = pass.inner, taps = axis.taps
        let (from, to) = (UnsafeSendable(source), UnsafeSendable(destination))
        axis.sources.withUnsafeBufferPointer { sources in
            axis.weights.withUnsafeBufferPointer { weights in
                let (indices, factors) = (UnsafeSendable(sources.baseAddress!), UnsafeSendable(weights.baseAddress!))
                if inner == 1 {
                    let work = max(1, axis.outputLength * taps)
                    Parallel.forRanges(pass.outer, threads: threads, minimumChunk: max(1, (1 << 15) / work)) { rows in
                        for row in rows {
                            let input = from.value + row * axis.inputLength, output = to.value + row * axis.outputLength
                            let (index, weight) = (indices.value, factors.value)
                            switch taps {
                            case 2:  // bilinear: two taps unrolled
                                for position in 0..<axis.outputLength {
                                    let first = 2 * position
                                    output[position] = weight[first] * input[index[first]] + weight[first + 1] * input[index[first + 1]]
                                }
                            default:
                                for position in 0..<axis.outputLength {
                                    var sum: Float = 0
                                    for tap in 0..<taps { sum += weight[position * taps + tap] * input[index[position * taps + tap]] }
                                    output[position] = sum
                                }
                            }
                            for position in axis.extrapolated { output[position] = extrapolationValue }
                        }
                    }
                    return
                }
                let rowCount = pass.outer * axis.outputLength
                Parallel.forRanges(rowCount, threads: threads, minimumChunk: max(1, (1 << 15) / max(inner * taps, 1))) { rows in
                    for row in rows {
                        let (block, position) = row.quotientAndRemainder(dividingBy: axis.outputLength)
                        let output = to.value + row * inner
                        guard !axis.isExtrapolated(position) else {
                            output.update(repeating: extrapolationValue, count: inner)
                            continue
                        }
                        let input = from.value + block * axis.inputLength * inner
                        let first = position * taps
                        Self.scaled(input + indices.value[first] * inner, by: factors.value[first], into: output, count: inner)
                        for tap in 1..<max(taps, 1) {
                            Self.accumulate(input + indices.value[first + tap] * inner, by: factors.value[first + tap],
                                            into: output, count: inner)
                        }
                    }
                }
            }
        }
    }

    /// `output = weight · input` over `count` floats, 16 at a time.
    @inline(__always)
    private static func scaled(_ input: UnsafePointer<Float>, by weight: Float, into output: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        let factor = SIMD16<Float>(repeating: weight)
        while index + 16 <= count {
            UnsafeMutableRawPointer(output + index).storeBytes(of: factor * UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self),
                                                               as: SIMD16<Float>.self)
            index += 16
        }
        while index < count { output[index] = weight * input[index]; index += 1 }
    }

    /// `output += weight · input` over `count` floats, 16 at a time.
    @inline(__always)
    private static func accumulate(_ input: UnsafePointer<Float>, by weight: Float, into output: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        let factor = SIMD16<Float>(repeating: weight)
        while index + 16 <= count {
            let sum = UnsafeRawPointer(output + index).loadUnaligned(as: SIMD16<Float>.self)
                + factor * UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + index).storeBytes(of: sum, as: SIMD16<Float>.self)
            index += 16
        }
        while index < count { output[index] += weight * input[index]; index += 1 }
    }
}
