import ZooGraph
import ZooTensor

/// Kernels of the spatial resampling ops (ResampleOp). Resize's scales, sizes and roi must
/// be constants once shapes are known (values computed while the graph runs are issue 12's
/// runtime shapes); the sampling of every axis is computed here, once per shape.
enum ResampleKernels {
    static func prepare(_ context: KernelContext, _ op: ResampleOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        switch op {
        case .resize(let attributes): return try prepareResize(context, attributes)
        case .centerCropPad(let axes): return try prepareCenterCropPad(context, axes: axes)
        }
    }

    private static func prepareResize(_ context: KernelContext, _ attributes: ResizeAttributes) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard input.rank >= 1 else { throw context.fail("X must have at least one axis") }
        let axes = try resolvedAxes(context, attributes.axes, rank: input.rank)
        for (index, role) in [(1, "roi"), (2, "scales"), (3, "sizes")] where context.node.input(index) != nil {
            // roi matters only to tf_crop_and_resize; other modes ignore whatever it holds.
            guard context.constant(index) != nil || (index == 1 && attributes.coordinateTransformation != .tfCropAndResize) else {
                throw context.unsupported("input '\(context.node.inputs[index])' (\(role)) must be a constant once shapes are known")
            }
        }
        let geometry: ResizeGeometry
        do {
            let operands = try ResizeOperands(roi: context.constant(1), scales: context.constant(2), sizes: context.constant(3))
            geometry = try ResizeGeometry(inputShape: input.shape, attributes: attributes, axes: axes, scales: operands.scales,
                                          sizes: operands.sizes, roi: operands.roi)
        } catch { throw context.fail("\(error)") }
        let outputType = ValueType(input.dtype, geometry.outputShape)
        try context.requireAllocatable(outputType, value: context.node.outputs[0])
        if attributes.mode == .nearest {
            guard attributes.coordinateTransformation != .tfCropAndResize || input.dtype == .float32 else {
                throw context.unsupported("tf_crop_and_resize's extrapolation value is written in float32 only; X is \(input.dtype)")
            }
        } else {
            guard input.dtype == .float32 else {
                throw context.unsupported("\(attributes.mode.rawValue) Resize computes in float32; X is \(input.dtype)")
            }
        }
        var sampling: [ResizeAxisSampling] = []
        for axis in 0..<input.rank {
            let roi = geometry.roi.map { ($0[axis], $0[input.rank + axis]) }
            sampling.append(try ResizeAxisSampling(axis: axis, inputLength: input.shape[axis], outputLength: geometry.outputShape[axis],
                                                   scale: geometry.scales[axis], roi: roi, attributes: attributes, context))
        }
        let kernel: any Kernel = attributes.mode == .nearest
            ? NearestResizeKernel(sampling: sampling, elementSize: input.dtype.byteSize,
                                  extrapolationValue: attributes.extrapolationValue, threads: context.threads)
            : InterpolatingResizeKernel(sampling: sampling, inputShape: input.shape,
                                        extrapolationValue: attributes.extrapolationValue, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [outputType])
    }

    /// CenterCropPad as Pad with a crop or a zero padding of each listed axis.
    private static func prepareCenterCropPad(_ context: KernelContext, axes: [Int]?) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        let listed = try resolvedAxes(context, axes, rank: input.rank)
        guard let shape = try context.constantIntegers(1, role: "shape") else { throw context.fail("missing shape") }
        guard shape.count == listed.count else { throw context.fail("shape has \(shape.count) values for \(listed.count) axes") }
        var padded: [PaddedAxis] = []
        for axis in 0..<input.rank {
            let length = input.shape[axis]
            do {
                let centred = try CenteredAxis(inputLength: length, outputLength: listed.firstIndex(of: axis).map { shape[$0] } ?? length)
                // Negative pads crop: the cells ahead of `first` and after the kept run.
                let begin = centred.before - centred.first
                let end = (centred.length - centred.before - centred.kept) - (length - centred.first - centred.kept)
                padded.append(try PaddedAxis(inputLength: length, begin: begin, end: end, mode: .constant))
            } catch {
                throw context.fail("axis \(axis): \(error)")
            }
        }
        let outputShape = padded.map(\.length)
        let outputType = ValueType(input.dtype, outputShape)
        try context.requireAllocatable(outputType, value: context.node.outputs[0])
        let rowCount = outputShape.contains(0) ? 0 : outputShape.dropLast().reduce(1, *)
        let kernel = PadKernel(axes: padded, inputStrides: StridedLayout.rowMajorStrides(input.shape), mode: .constant,
                               elementSize: input.dtype.byteSize, rowCount: rowCount, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [outputType])
    }

    private static func resolvedAxes(_ context: KernelContext, _ axes: [Int]?, rank: Int) throws(RuntimeError) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        var resolved: [Int] = []
        for axis in axes {
            let position = try context.axis(axis, rank: rank, name: "axes")
            guard !resolved.contains(position) else { throw context.fail("axes \(axes) name axis \(position) twice") }
            resolved.append(position)
        }
        return resolved
    }
}

/// Nearest Resize, any dtype: each output row (the last axis) gathers its cells from one
/// input row through the last axis's precomputed source indices. An output row reading
/// the same input row as the one before it (every row but the first of each group, when
/// upsampling by an integer factor) is a copy of that row. Rows are split over threads.
struct NearestResizeKernel: Kernel {
    let sampling: [ResizeAxisSampling]
    let elementSize: Int
    let extrapolationValue: Float
    let threads: Int
    /// k when output cell i of the last axis reads source cell ⌊i / k⌋, for every i.
    let repeatFactor: Int?

    init(sampling: [ResizeAxisSampling], elementSize: Int, extrapolationValue: Float, threads: Int) {
        (self.sampling, self.elementSize, self.extrapolationValue, self.threads) = (sampling, elementSize, extrapolationValue, threads)
        let last = sampling[sampling.count - 1]
        let factor = last.inputLength > 0 ? last.outputLength / last.inputLength : 0
        let repeats = factor >= 2 && last.outputLength == factor * last.inputLength && last.extrapolated.isEmpty
            && last.sources.enumerated().allSatisfy { $0.element == $0.offset / factor }
        repeatFactor = repeats ? factor : nil
    }

    func run(_ io: KernelIO) {
        let input = UnsafeSendable(io.input(0)), output = UnsafeSendable(io.output(0))
        let last = sampling[sampling.count - 1]
        let outer = sampling.dropLast()
        let rowCount = outer.reduce(1) { $0 * $1.outputLength }
        let size = elementSize, rowBytes = last.outputLength * size
        guard rowCount > 0, rowBytes > 0 else { return }
        let inputStrides = StridedLayout.rowMajorStrides(sampling.map(\.inputLength))
        withUnsafeBytes(of: extrapolationValue) { fill in
            let pattern = UnsafeSendable(fill.baseAddress!)
            Parallel.forRanges(rowCount, threads: threads, minimumChunk: max(1, (1 << 14) / rowBytes)) { rows in
                var previous: Int? = nil
                for row in rows {
                    let destination = output.value + row * rowBytes
                    // The input row this output row reads; nil for an extrapolated one.
                    var remaining = row, offset: Int? = 0
                    for axis in outer.indices.reversed() {
                        let position = remaining % sampling[axis].outputLength
                        remaining /= sampling[axis].outputLength
                        if sampling[axis].isExtrapolated(position) { offset = nil; break }
                        offset! += sampling[axis].sources[position] * inputStrides[axis]
                    }
                    guard let offset else {
                        ElementBytes.fill(destination, count: last.outputLength, with: pattern.value, size: size)
                        previous = nil
                        continue
                    }
                    if offset == previous {
                        destination.copyMemory(from: destination - rowBytes, byteCount: rowBytes)
                    } else {
                        gather(from: input.value + offset * size, to: destination, last, pattern: pattern.value)
                    }
                    previous = offset
                }
            }
        }
    }

    /// One output row: cell i is source cell `axis.sources[i]`, or the extrapolation value.
    /// When the last axis repeats every cell `factor` times (integer upsampling, as FPN and
    /// YOLO heads do), each 4-byte source cell is read once and written `factor` times.
    private func gather(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, _ axis: ResizeAxisSampling,
                        pattern: UnsafeRawPointer) {
        if let factor = repeatFactor, elementSize == 4 {
            let from = source.assumingMemoryBound(to: UInt32.self)
            if factor == 2 {
                // Each cell twice: one 8-byte store of the cell in both halves.
                for cell in 0..<axis.inputLength {
                    let value = UInt64(from[cell])
                    (destination + 8 * cell).storeBytes(of: value | value << 32, as: UInt64.self)
                }
            } else {
                let to = destination.assumingMemoryBound(to: UInt32.self)
                for cell in 0..<axis.inputLength { (to + factor * cell).update(repeating: from[cell], count: factor) }
            }
            return
        }
        axis.sources.withUnsafeBufferPointer { indices in
            func copy<Element>(_: Element.Type) {
                let from = source.assumingMemoryBound(to: Element.self), to = destination.assumingMemoryBound(to: Element.self)
                for position in 0..<indices.count { to[position] = from[indices[position]] }
            }
            switch elementSize {
            case 1: copy(UInt8.self)
            case 2: copy(UInt16.self)
            case 4: copy(UInt32.self)
            case 8: copy(UInt64.self)
            default:
                for position in 0..<indices.count {
                    ElementBytes.copy(destination + position * elementSize, source + indices[position] * elementSize, size: elementSize)
                }
            }
        }
        for position in axis.extrapolated { ElementBytes.copy(destination + position * elementSize, pattern, size: elementSize) }
    }
}

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
