import ZooGraph

/// InstanceNormalization, GroupNormalization and RMSNormalization: the input is a sequence
/// of contiguous runs (an instance's spatial plane, a group's channels and planes, a row of
/// the normalised axes), each normalised on its own, so runs are spread over threads. Within
/// a run, each channel's `S` elements share one factor and shift (instance and group) or the
/// row is multiplied by its inverse root mean square and the scale (RMS). The kernel
/// factory's entry for every `Normalization`: MeanVarianceNormalization, whose groups are
/// not contiguous, goes to its own kernel.
struct RunNormalizationKernel: Kernel {
    enum Form: Sendable {
        /// Runs of `channelsPerRun` channels of `planeSize` elements; scale and bias per
        /// channel, or per run (GroupNormalization before opset 21: `perRun`).
        case centred(channelsPerRun: Int, planeSize: Int, runsPerInstance: Int, perRun: Bool)
        /// x / √(mean(x²) + ε) · scale, the scale repeating every `scaleCount` elements.
        case rootMeanSquare(scaleCount: Int)
    }

    let form: Form
    let runCount: Int
    let runLength: Int
    let epsilon: Float
    let threads: Int

    static func prepare(_ context: KernelContext, _ normalization: Normalization) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        let form: Form, runLength: Int, epsilon: Float
        switch normalization {
        case .instance(let value), .group(_, let value, _):
            guard input.rank >= 2 else { throw context.fail("input must have rank at least 2, got \(input)") }
            let channels = input.shape[1], planeSize = input.shape[2...].reduce(1, *)
            var groups = channels, perRun = false
            if case .group(let groupCount, _, let perGroupAffine) = normalization { (groups, perRun) = (groupCount, perGroupAffine) }
            guard groups >= 1, channels % groups == 0 else {
                throw context.fail("\(groups) groups do not divide the \(channels) channels")
            }
            for index in [1, 2] where try context.floatType(index).elementCount != (perRun ? groups : channels) {
                throw context.fail("'\(context.node.inputs[index])' must have \(perRun ? groups : channels) entries")
            }
            form = .centred(channelsPerRun: channels / groups, planeSize: planeSize, runsPerInstance: groups, perRun: perRun)
            runLength = channels / groups * planeSize
            epsilon = value
        case .rms(let axis, let value):
            let first = try context.axis(axis, rank: input.rank)
            let normalised = Array(input.shape[first...])
            var scale = try context.floatType(1).shape
            while scale.first == 1 && scale.count > 0 { scale.removeFirst() }
            guard scale.count <= normalised.count, Array(normalised.suffix(scale.count)) == scale else {
                throw context.unsupported("a scale \(try context.type(1).shape) that is not a suffix of the normalised axes \(normalised)")
            }
            form = .rootMeanSquare(scaleCount: scale.reduce(1, *))
            runLength = normalised.reduce(1, *)
            epsilon = value
        case .meanVariance(let axes):
            return try MeanVarianceNormalizationKernel.prepare(context, axes: axes)
        case .batchTraining(let epsilon, let momentum):
            return try BatchNormalizationTrainingKernel.prepare(context, epsilon: epsilon, momentum: momentum)
        }
        let kernel = RunNormalizationKernel(form: form, runCount: input.elementCount / max(runLength, 1), runLength: runLength,
                                            epsilon: epsilon, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0), scale = io.floats(1)
        Parallel.forRanges(runCount, threads: threads, minimumChunk: max(1, 16384 / max(runLength, 1))) { range in
            for run in range {
                let x = input + run * runLength, y = output + run * runLength
                switch form {
                case .centred(let channelsPerRun, let planeSize, let runsPerInstance, let perRun):
                    let bias = io.floats(2)
                    let (mean, inverse) = NormalizationStatistics.meanAndInverseDeviation(x, count: runLength, epsilon: epsilon)
                    let group = run % runsPerInstance
                    for channelInRun in 0..<channelsPerRun {
                        let parameter = perRun ? group : group * channelsPerRun + channelInRun
                        let factor = inverse * scale[parameter]
                        let offset = channelInRun * planeSize
                        NormalizationStatistics.affine(x + offset, y + offset, count: planeSize, factor: factor,
                                                       shift: bias[parameter] - mean * factor)
                    }
                case .rootMeanSquare(let scaleCount):
                    let inverse = 1 / (NormalizationStatistics.meanSquare(x, count: runLength, about: 0) + epsilon).squareRoot()
                    for start in stride(from: 0, to: runLength, by: max(scaleCount, 1)) {
                        multiply(x + start, scale, y + start, count: scaleCount, by: inverse)
                    }
                }
            }
        }
    }

    /// y = x · scale · factor, element by element.
    private func multiply(_ x: UnsafePointer<Float>, _ scale: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                          count: Int, by factor: Float) {
        var index = 0
        let factors = Float16x(repeating: factor)
        while index + 16 <= count {
            let value = UnsafeRawPointer(x).vector(at: index) * UnsafeRawPointer(scale).vector(at: index) * factors
            UnsafeMutableRawPointer(y).storeVector(value, at: index)
            index += 16
        }
        while index < count { y[index] = x[index] * scale[index] * factor; index += 1 }
    }
}

/// MeanVarianceNormalization over any set of axes: (x − mean) / (√(E[x²] − E[x]²) + 1e-9),
/// as the operator's ONNX function body computes it. Each element belongs to the group of
/// its kept (not reduced) coordinates; the per-group sums live in scratch.
struct MeanVarianceNormalizationKernel: Kernel {
    let shape: [Int]
    let reduced: [Bool]
    let groupCount: Int

    var scratchByteCount: Int { 2 * groupCount * MemoryLayout<Float>.stride }

    static func prepare(_ context: KernelContext, axes: [Int]) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        var reduced = Array(repeating: false, count: input.rank)
        for axis in axes { reduced[try context.axis(axis, rank: input.rank, name: "axes")] = true }
        let groupCount = input.shape.indices.filter { !reduced[$0] }.map { input.shape[$0] }.reduce(1, *)
        let kernel = MeanVarianceNormalizationKernel(shape: input.shape, reduced: reduced, groupCount: groupCount)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        guard let scratch = io.scratch else { return }
        let input = io.floats(0), output = io.outputFloats(0)
        let sums = scratch.assumingMemoryBound(to: Float.self), squares = sums + groupCount
        sums.update(repeating: 0, count: 2 * groupCount)
        let elementCount = shape.reduce(1, *), groupSize = Float(elementCount / max(groupCount, 1))
        forEachElement { index, group in
            sums[group] += input[index]
            squares[group] += input[index] * input[index]
        }
        for group in 0..<groupCount {
            let mean = sums[group] / groupSize
            sums[group] = mean
            squares[group] = 1 / ((squares[group] / groupSize - mean * mean).squareRoot() + 1e-9)
        }
        forEachElement { index, group in output[index] = (input[index] - sums[group]) * squares[group] }
    }

    /// Calls `body` with every element's flat index and its group (its kept coordinates,
    /// flattened), in row-major order.
    private func forEachElement(_ body: (_ index: Int, _ group: Int) -> Void) {
        let groupStrides = (0..<shape.count).map { axis in
            reduced[axis] ? 0 : (axis + 1..<shape.count).filter { !reduced[$0] }.map { shape[$0] }.reduce(1, *)
        }
        var coordinates = Array(repeating: 0, count: shape.count), group = 0
        for index in 0..<shape.reduce(1, *) {
            body(index, group)
            var axis = shape.count - 1
            while axis >= 0 {
                coordinates[axis] += 1
                group += groupStrides[axis]
                if coordinates[axis] < shape[axis] { break }
                group -= groupStrides[axis] * coordinates[axis]
                coordinates[axis] = 0
                axis -= 1
            }
        }
    }
}
