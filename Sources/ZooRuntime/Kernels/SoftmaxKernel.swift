import Foundation

/// Softmax (opset 13): exp(x − max) / Σ exp(x − max) along one axis, or with `logarithm`
/// LogSoftmax: x − max − log Σ exp(x − max). Rows along the last axis run 16 lanes at a
/// time; other axes gather the row through a stride.
struct SoftmaxKernel: Kernel {
    let outerCount: Int
    let axisSize: Int
    let innerCount: Int
    let logarithm: Bool
    let threads: Int

    static func prepare(_ context: KernelContext, axis: Int, logarithm: Bool = false) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        guard input.dtype == .float32 else { return try ReductionKernels.prepareScalarSoftmax(context, axis: axis, logarithm: logarithm) }
        let resolved = try context.axis(axis, rank: input.rank)
        let kernel = SoftmaxKernel(outerCount: input.shape[..<resolved].reduce(1, *), axisSize: input.shape[resolved],
                                   innerCount: input.shape[(resolved + 1)...].reduce(1, *), logarithm: logarithm,
                                   threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        apply(io.floats(0), io.outputFloats(0))
    }

    /// Every row of `input` ([outer, axis, inner]) into `output`, rows spread over threads.
    func apply(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        let rows = outerCount * innerCount
        Parallel.forRanges(rows, threads: threads, minimumChunk: max(1, 8192 / max(axisSize, 1))) { range in
            for row in range {
                let outer = row / innerCount, inner = row % innerCount
                let offset = outer * axisSize * innerCount + inner
                if innerCount == 1 {
                    Self.contiguousRow(input + offset, output + offset, axisSize, logarithm: logarithm)
                } else {
                    Self.stridedRow(input + offset, output + offset, axisSize, innerCount, logarithm: logarithm)
                }
            }
        }
    }

    static func contiguousRow(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ count: Int,
                              logarithm: Bool = false) {
        var maximum = -Float.infinity
        for index in 0..<count { maximum = max(maximum, input[index]) }
        if maximum.isNaN || maximum == .infinity || maximum == -.infinity {
            return stridedRow(input, output, count, 1, logarithm: logarithm)
        }
        let shift = Float16x(repeating: maximum)
        VectorMath.map(input, output, count: count) { VectorMath.exp($0 - shift) }
        var sum: Float = 0
        for index in 0..<count { sum += output[index] }
        if logarithm {
            let offset = Float16x(repeating: maximum + Float(Foundation.log(Double(sum))))
            return VectorMath.map(input, output, count: count) { $0 - offset }
        }
        let scale = 1 / sum
        for index in 0..<count { output[index] *= scale }
    }

    /// The scalar form, which also gives IEEE answers for rows holding NaN or ±inf.
    static func stridedRow(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ count: Int, _ stride: Int,
                           logarithm: Bool = false) {
        var maximum = -Float.infinity
        for index in 0..<count { maximum = max(maximum, input[index * stride]) }
        var sum: Float = 0
        for index in 0..<count {
            let value = (input[index * stride] - maximum).exponential
            output[index * stride] = value
            sum += value
        }
        if logarithm {
            let logSum = Float(Foundation.log(Double(sum)))
            for index in 0..<count { output[index * stride] = input[index * stride] - maximum - logSum }
        } else {
            for index in 0..<count { output[index * stride] /= sum }
        }
    }
}

extension Float {
    /// Scalar e^x through the vector routine, so scalar and vector paths agree.
    var exponential: Float { VectorMath.exp(Float16x(repeating: self))[0] }
}
