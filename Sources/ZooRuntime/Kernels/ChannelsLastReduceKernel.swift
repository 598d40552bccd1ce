import ZooGraph

/// ReduceMax or ReduceMean over the width (axes [3]) or height and width (axes [2, 3]) of a
/// channels-last activation, written in the plain layout: a character CNN's max over time
/// right after its convolution. Reading NHWC, each step folds one contiguous row of C
/// channels into C running results with vector operations; the plain-layout kernel would
/// first need the whole activation reordered to NCHW and then reduce along a strided axis.
struct ChannelsLastReduceKernel: Kernel {
    let isMax: Bool
    let batch: Int, channels: Int, height: Int, width: Int
    let reducesHeight: Bool
    let threads: Int

    /// Running results: one row of C per thread.
    var scratchByteCount: Int { MemoryPlanner.aligned(threads * channels * 4) }

    /// Whether the kernel handles `operation` (max or mean) with `attributes` on a rank-4
    /// input: the reduced axes, once resolved, are exactly {3} or {2, 3}.
    static func handles(_ operation: ReduceOperation, _ attributes: ReduceAttributes) -> Bool {
        guard operation == .max || operation == .mean, let axes = attributes.axes else { return false }
        let resolved = Set(axes.map { $0 < 0 ? $0 + 4 : $0 })
        return resolved.count == axes.count && (resolved == [3] || resolved == [2, 3])
    }

    static func prepare(_ context: KernelContext, _ operation: ReduceOperation, _ attributes: ReduceAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank == 4, handles(operation, attributes) else {
            throw context.fail("a channels-last reduction is a max or mean of a rank-4 input over axes [3] or [2, 3]")
        }
        let isMax = operation == .max
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let reducesHeight = Set(attributes.axes!.map { $0 < 0 ? $0 + 4 : $0 }).contains(2)
        let keptHeight = reducesHeight ? 1 : height
        let shape = attributes.keepDims ? [batch, channels, keptHeight, 1]
                                        : [batch, channels] + (reducesHeight ? [] : [height])
        let rows = batch * keptHeight
        let threads = SmallWork.isSmall(input.shape) ? 1 : min(context.threads, max(rows, 1))
        let kernel = ChannelsLastReduceKernel(isMax: isMax, batch: batch, channels: channels, height: height, width: width,
                                              reducesHeight: reducesHeight, threads: threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, shape)])
    }

    func run(_ io: KernelIO) {
        guard let scratch = io.scratch else { return }
        let input = UnsafeSendable(io.floats(0)), output = UnsafeSendable(io.outputFloats(0))
        let results = UnsafeSendable(scratch.assumingMemoryBound(to: Float.self))
        let keptHeight = reducesHeight ? 1 : height
        let foldedRows = (reducesHeight ? height : 1) * width
        let scale = 1 / Float(foldedRows)
        // Every output row (b, h) reads `foldedRows` consecutive NHWC rows of C channels.
        Parallel.team(threads: threads) { member in
            let running = results.value + member.index * channels
            for row in member.share(of: batch * keptHeight) {
                let first = input.value + row * foldedRows * channels
                running.update(repeating: isMax ? -.infinity : 0, count: channels)
                for next in 0..<foldedRows { fold(first + next * channels, into: running) }
                // Plain output: channel c of row (b, h) is at (b·C + c)·H' + h.
                let (b, h) = row.quotientAndRemainder(dividingBy: keptHeight)
                let target = output.value + b * channels * keptHeight + h
                for channel in 0..<channels {
                    target[channel * keptHeight] = isMax ? running[channel] : running[channel] * scale
                }
            }
        }
    }

    /// running = max(running, row) (NaN wins, as in the plain kernel) or running + row.
    private func fold(_ row: UnsafePointer<Float>, into running: UnsafeMutablePointer<Float>) {
        var channel = 0
        while channel + 16 <= channels {
            let value = UnsafeRawPointer(row + channel).loadUnaligned(as: SIMD16<Float>.self)
            var current = UnsafeRawPointer(running + channel).loadUnaligned(as: SIMD16<Float>.self)
            if isMax {
                // Compare and replace compiles to vector blends; pointwiseMax would not (VectorMath).
                // A NaN result stays: nothing compares greater than it.
                current.replace(with: value, where: (value .> current) .| (value .!= value))
            } else {
                current += value
            }
            UnsafeMutableRawPointer(running + channel).storeBytes(of: current, as: SIMD16<Float>.self)
            channel += 16
        }
        for index in channel..<channels {
            let value = row[index]
            if isMax {
                if value > running[index] || value.isNaN { running[index] = value }
            } else {
                running[index] += value
            }
        }
    }
}
