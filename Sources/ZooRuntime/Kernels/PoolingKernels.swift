import ZooGraph

/// MaxPool and AveragePool over 1 or 2 spatial axes (NCHW, or NCW treated as height 1),
/// with explicit or automatic pads, dilations (MaxPool), ceil_mode and count_include_pad.
/// Each (batch, channel) plane is independent, so planes are spread over threads.
struct PoolingKernel: Kernel {
    let isMax: Bool
    let countIncludePad: Bool
    let planeCount: Int
    /// Height and width geometry; a 1-D pool has a height axis of size 1.
    let geometry: SpatialGeometry
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: PoolAttributes, isMax: Bool) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank == 3 || input.rank == 4 else { throw context.unsupported("only 1-D and 2-D pools, got \(input)") }
        if !isMax, let dilations = attributes.dilations, dilations.contains(where: { $0 != 1 }) {
            throw context.unsupported("AveragePool has no dilations at opset 17")
        }
        guard context.node.outputs.dropFirst().allSatisfy(\.isEmpty) else { throw context.unsupported("MaxPool Indices output") }
        var geometry = try SpatialGeometry(
            input: Array(input.shape[2...]), kernel: attributes.kernelShape, strides: attributes.strides,
            pads: attributes.pads, dilations: attributes.dilations, autoPad: attributes.autoPad,
            ceilMode: attributes.ceilMode, context)
        let outputShape = Array(input.shape[..<2]) + geometry.output
        try context.requireAllocatable(ValueType(.float32, outputShape), value: context.node.outputs[0])
        if input.rank == 3 {
            geometry = SpatialGeometry(unit: geometry)
        }
        let kernel = PoolingKernel(isMax: isMax, countIncludePad: attributes.countIncludePad,
                                   planeCount: input.shape[0] * input.shape[1], geometry: geometry, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, outputShape)])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        let inputPlane = geometry.input[0] * geometry.input[1], outputPlane = geometry.output[0] * geometry.output[1]
        Parallel.forRanges(planeCount, threads: threads, minimumChunk: max(1, 4096 / max(outputPlane, 1))) { range in
            for plane in range {
                pool(input + plane * inputPlane, output + plane * outputPlane)
            }
        }
    }

    /// Visits only the taps inside the input (a window may be far larger than the plane:
    /// a kernel of 2^31 over 8×8); count_include_pad counts the taps inside the padding too.
    private func pool(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        let (height, width) = (geometry.input[0], geometry.input[1])
        for outputRow in 0..<geometry.output[0] {
            let rowStart = outputRow * geometry.strides[0] - geometry.padsBegin[0]
            let rows = taps(start: rowStart, axis: 0, below: height)
            let paddedRows = taps(start: rowStart, axis: 0, below: height + geometry.padsEnd[0]).upperBound
            for outputColumn in 0..<geometry.output[1] {
                let columnStart = outputColumn * geometry.strides[1] - geometry.padsBegin[1]
                let columns = taps(start: columnStart, axis: 1, below: width)
                let paddedColumns = taps(start: columnStart, axis: 1, below: width + geometry.padsEnd[1]).upperBound
                var maximum = -Float.infinity, sum: Float = 0
                for kernelRow in rows {
                    let row = rowStart + kernelRow * geometry.dilations[0]
                    for kernelColumn in columns {
                        let value = input[row * width + columnStart + kernelColumn * geometry.dilations[1]]
                        if value > maximum || value.isNaN { maximum = maximum.isNaN ? maximum : value }
                        sum += value
                    }
                }
                let (valid, padded) = (rows.count * columns.count, paddedRows * paddedColumns)
                let index = outputRow * geometry.output[1] + outputColumn
                output[index] = isMax ? maximum : sum / Float(countIncludePad ? padded : max(valid, 1))
            }
        }
    }

    /// The taps k of `axis` whose position start + k·dilation lies in 0..<end (start ≥ −padBegin,
    /// so every tap before the first is in the begin padding).
    private func taps(start: Int, axis: Int, below end: Int) -> Range<Int> {
        let (kernel, dilation) = (geometry.kernel[axis], geometry.dilations[axis])
        // The first tap at or beyond `position`, written without position − start + dilation,
        // which overflows for dilations near 2^63.
        func firstTap(atLeast position: Int) -> Int {
            position <= start ? 0 : min((position - start - 1) / dilation + 1, kernel)
        }
        let first = firstTap(atLeast: 0)
        return first..<max(first, firstTap(atLeast: end))
    }
}

extension SpatialGeometry {
    /// A 1-D geometry as 2-D with a unit height axis.
    init(unit geometry: SpatialGeometry) {
        self = geometry
        input = [1] + geometry.input
        kernel = [1] + geometry.kernel
        strides = [1] + geometry.strides
        dilations = [1] + geometry.dilations
        padsBegin = [0] + geometry.padsBegin
        padsEnd = [0] + geometry.padsEnd
        output = [1] + geometry.output
    }
}

/// GlobalAveragePool and GlobalMaxPool: one value per (batch, channel) plane.
struct GlobalPoolingKernel: Kernel {
    let isMax: Bool
    let planeCount: Int
    let planeSize: Int

    static func prepare(_ context: KernelContext, isMax: Bool) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank >= 3 else { throw context.fail("input must have spatial axes, got \(input)") }
        let shape = Array(input.shape[..<2]) + Array(repeating: 1, count: input.rank - 2)
        let kernel = GlobalPoolingKernel(isMax: isMax, planeCount: input.shape[0] * input.shape[1],
                                         planeSize: input.shape[2...].reduce(1, *))
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, shape)])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        for plane in 0..<planeCount {
            let values = UnsafeBufferPointer(start: input + plane * planeSize, count: planeSize)
            if isMax {
                output[plane] = values.reduce(-Float.infinity) { $0.isNaN || $1 <= $0 ? $0 : $1 }
            } else {
                var sums = Float16x(repeating: 0), index = 0
                let raw = UnsafeRawPointer(values.baseAddress!)
                while index + 16 <= planeSize { sums += raw.vector(at: index); index += 16 }
                var total = sums.sum()
                while index < planeSize { total += values[index]; index += 1 }
                output[plane] = total / Float(planeSize)
            }
        }
    }
}
