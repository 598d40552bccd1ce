import Foundation
import ZooGraph

/// BatchNormalization with training_mode=1, float32.
///
/// Contract: per channel c, over the batch and spatial axes, μ = mean(x) and σ² = mean((x −
/// μ)²) (the population variance, accumulated in Double); y = (x − μ) / √(σ² + ε) · scale +
/// bias; the other outputs (either may be left unnamed) are input_mean · momentum + μ · (1 − momentum) and likewise
/// for the variance, as ONNX's reference computes them. Channels are spread over threads.
struct BatchNormalizationTrainingKernel: Kernel {
    let batch: Int, channels: Int, planeSize: Int
    let epsilon: Float, momentum: Float
    let threads: Int

    static func prepare(_ context: KernelContext, epsilon: Float, momentum: Float) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank >= 2 else { throw context.fail("input must have rank at least 2, got \(input)") }
        let channels = input.shape[1]
        for index in 1...4 where try context.floatType(index).elementCount != channels {
            throw context.fail("'\(context.node.inputs[index])' must have \(channels) entries")
        }
        let kernel = BatchNormalizationTrainingKernel(batch: input.shape[0], channels: channels,
                                                      planeSize: input.shape[2...].reduce(1, *), epsilon: epsilon,
                                                      momentum: momentum, threads: context.threads)
        let statistics = ValueType(.float32, [channels])
        return PreparedKernel(kernel: kernel, outputTypes: Array([input, statistics, statistics].prefix(context.node.outputs.count)))
    }

    func run(_ io: KernelIO) {
        let x = io.floats(0), scale = io.floats(1), bias = io.floats(2), inputMean = io.floats(3), inputVariance = io.floats(4)
        let y = io.outputFloats(0)
        let runningMean = io.optionalOutput(1)?.assumingMemoryBound(to: Float.self)
        let runningVariance = io.optionalOutput(2)?.assumingMemoryBound(to: Float.self)
        let (batch, channels, planeSize) = (batch, channels, planeSize)
        let count = Double(batch * planeSize)
        Parallel.forRanges(channels, threads: threads, minimumChunk: max(1, 16_384 / max(batch * planeSize, 1))) { range in
            for channel in range {
                func planes(_ body: (Int) -> Void) {
                    for item in 0..<batch { body((item * channels + channel) * planeSize) }
                }
                var sum = 0.0
                planes { start in for index in start..<(start + planeSize) { sum += Double(x[index]) } }
                let mean = count > 0 ? sum / count : 0
                var squares = 0.0
                planes { start in for index in start..<(start + planeSize) { squares += (Double(x[index]) - mean) * (Double(x[index]) - mean) } }
                let variance = count > 0 ? squares / count : 0
                let factor = Double(scale[channel]) / (variance + Double(epsilon)).squareRoot()
                let shift = Double(bias[channel]) - mean * factor
                planes { start in for index in start..<(start + planeSize) { y[index] = Float(Double(x[index]) * factor + shift) } }
                let keep = Double(momentum)
                runningMean?[channel] = Float(Double(inputMean[channel]) * keep + mean * (1 - keep))
                runningVariance?[channel] = Float(Double(inputVariance[channel]) * keep + variance * (1 - keep))
            }
        }
    }
}
