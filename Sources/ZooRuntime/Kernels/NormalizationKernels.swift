import Foundation
import ZooGraph

/// LayerNormalization: each row over the trailing axes from `axis` becomes
/// (x − mean) / √(var + ε) · scale + bias, with scale and bias shaped like the row; the
/// optional Mean and InvStdDev outputs receive each row's mean and 1 / √(var + ε).
struct LayerNormKernel: Kernel {
    let rowCount: Int
    let rowLength: Int
    let epsilon: Float
    let writesStatistics: (mean: Bool, inverseDeviation: Bool)
    let threads: Int

    static func prepare(_ context: KernelContext, axis: Int, epsilon: Float) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        let resolved = try context.axis(axis, rank: input.rank)
        let rowLength = input.shape[resolved...].reduce(1, *)
        for index in [1, 2] where context.optionalType(index) != nil {
            guard try context.floatType(index).elementCount == rowLength else {
                throw context.fail("'\(context.node.inputs[index])' must have \(rowLength) elements (the normalised axes)")
            }
        }
        let outputs = context.node.outputs
        let statistics = ValueType(.float32, Array(input.shape[..<resolved]) + Array(repeating: 1, count: input.rank - resolved))
        let kernel = LayerNormKernel(rowCount: input.elementCount / max(rowLength, 1), rowLength: rowLength, epsilon: epsilon,
                                     writesStatistics: (outputs.count > 1 && !outputs[1].isEmpty, outputs.count > 2 && !outputs[2].isEmpty),
                                     threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input, statistics, statistics].prefix(outputs.count).map { $0 })
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        let scale = io.floats(1), bias = io.optionalInput(2)?.assumingMemoryBound(to: Float.self)
        let means = writesStatistics.mean ? io.outputFloats(1) : nil
        let inverseDeviations = writesStatistics.inverseDeviation ? io.outputFloats(2) : nil
        Parallel.forRanges(rowCount, threads: threads, minimumChunk: max(1, 16384 / max(rowLength, 1))) { range in
            for row in range {
                let x = input + row * rowLength, y = output + row * rowLength
                let (mean, inverse) = NormalizationStatistics.meanAndInverseDeviation(x, count: rowLength, epsilon: epsilon)
                means?[row] = mean
                inverseDeviations?[row] = inverse
                var index = 0
                let (x16, scale16) = (UnsafeRawPointer(x), UnsafeRawPointer(scale))
                let (means16, inverses16) = (Float16x(repeating: mean), Float16x(repeating: inverse))
                while index + 16 <= rowLength {
                    var value = (x16.vector(at: index) - means16) * inverses16 * scale16.vector(at: index)
                    if let bias { value += UnsafeRawPointer(bias).vector(at: index) }
                    UnsafeMutableRawPointer(y).storeVector(value, at: index)
                    index += 16
                }
                while index < rowLength {
                    y[index] = (x[index] - mean) * inverse * scale[index] + (bias?[index] ?? 0)
                    index += 1
                }
            }
        }
    }
}

/// BatchNormalization at inference, when it could not be folded into a convolution:
/// y = (x − mean) / √(var + ε) · scale + bias, per channel (axis 1).
struct BatchNormKernel: Kernel {
    let batchCount: Int
    let channelCount: Int
    let spatialCount: Int
    let epsilon: Float
    let threads: Int

    static func prepare(_ context: KernelContext, epsilon: Float) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank >= 2 else { throw context.fail("input must have rank at least 2, got \(input)") }
        for index in 1...4 where try context.floatType(index).elementCount != input.shape[1] {
            throw context.fail("'\(context.node.inputs[index])' must have \(input.shape[1]) entries")
        }
        guard context.node.outputs.dropFirst().allSatisfy(\.isEmpty) else {
            throw context.unsupported("training-mode outputs are not computed")
        }
        let kernel = BatchNormKernel(batchCount: input.shape[0], channelCount: input.shape[1],
                                     spatialCount: input.shape[2...].reduce(1, *), epsilon: epsilon, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        let scale = io.floats(1), bias = io.floats(2), mean = io.floats(3), variance = io.floats(4)
        Parallel.forRanges(batchCount * channelCount, threads: threads, minimumChunk: max(1, 16384 / max(spatialCount, 1))) { range in
            for plane in range {
                let channel = plane % channelCount
                let factor = scale[channel] / (variance[channel] + epsilon).squareRoot()
                let shift = bias[channel] - mean[channel] * factor
                let offset = plane * spatialCount
                VectorMath.map(input + offset, output + offset, count: spatialCount) { $0 * factor + shift }
            }
        }
    }
}

/// LRN across channels: y = x / (bias + α/size · Σ x²)^β, the sum over channels
/// c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉ clipped to the valid range. Each (batch, channel)
/// plane is independent, so planes are spread over threads; the sums of squares run 16
/// positions at a time.
struct LRNKernel: Kernel {
    let batchCount: Int
    let channelCount: Int
    let spatialCount: Int
    let size: Int
    let alpha: Float
    let beta: Float
    let bias: Float
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: LRNAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank >= 3, attributes.size >= 1 else { throw context.fail("LRN needs rank ≥ 3 and size ≥ 1") }
        let kernel = LRNKernel(batchCount: input.shape[0], channelCount: input.shape[1],
                               spatialCount: input.shape[2...].reduce(1, *), size: attributes.size,
                               alpha: attributes.alpha, beta: attributes.beta, bias: attributes.bias, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        let before = (size - 1) / 2, after = size - 1 - before
        let scale = alpha / Float(size)
        Parallel.forRanges(batchCount * channelCount, threads: threads, minimumChunk: max(1, 4096 / max(spatialCount, 1))) { range in
            for plane in range {
                let (batch, channel) = plane.quotientAndRemainder(dividingBy: channelCount)
                let base = batch * channelCount * spatialCount
                let neighbours = max(0, channel - before)...min(channelCount - 1, channel + after)
                let x = input + plane * spatialCount, y = output + plane * spatialCount
                var position = 0
                while position + 16 <= spatialCount {
                    var squares = Float16x(repeating: 0)
                    for neighbour in neighbours {
                        let value = UnsafeRawPointer(input + base + neighbour * spatialCount).vector(at: position)
                        squares += value * value
                    }
                    for lane in 0..<16 {
                        y[position + lane] = x[position + lane] / Foundation.pow(bias + scale * squares[lane], beta)
                    }
                    position += 16
                }
                while position < spatialCount {
                    var squares: Float = 0
                    for neighbour in neighbours {
                        let value = input[base + neighbour * spatialCount + position]
                        squares += value * value
                    }
                    y[position] = x[position] / Foundation.pow(bias + scale * squares, beta)
                    position += 1
                }
            }
        }
    }
}
