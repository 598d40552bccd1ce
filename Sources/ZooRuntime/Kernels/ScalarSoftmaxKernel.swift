import Foundation
import ZooGraph

extension ReductionKernels {
    static func prepareScalarSoftmax(_ context: KernelContext, axis: Int, logarithm: Bool) throws(RuntimeError) -> PreparedKernel {
        let (input, element) = try context.reductionElement(0)
        let resolved = try context.axis(axis, rank: input.rank)
        return scalarSoftmax(element, context, input, axis: resolved, logarithm: logarithm)
    }

    private static func scalarSoftmax<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ input: ValueType,
                                                                 axis: Int, logarithm: Bool) -> PreparedKernel {
        let kernel = ScalarSoftmaxKernel<Element>(geometry: AxisGeometry(shape: input.shape, axis: axis), logarithm: logarithm,
                                                  threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }
}

/// Softmax and LogSoftmax in float64 and float16 (float32 takes SoftmaxKernel's vector
/// path): each line along the axis is computed in Double, exp(x − max) / Σ or
/// x − max − log Σ, and rounded once. Lines are spread over threads.
struct ScalarSoftmaxKernel<Element: ReductionElement>: Kernel {
    let geometry: AxisGeometry
    let logarithm: Bool
    let threads: Int

    func run(_ io: KernelIO) {
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let (length, stride) = (geometry.length, geometry.inner)
        Parallel.forRanges(geometry.lineCount, threads: threads, minimumChunk: max(1, 8192 / max(length, 1))) { range in
            for line in range {
                let start = geometry.start(ofLine: line)
                var maximum = -Double.infinity
                for step in 0..<length { maximum = Swift.max(maximum, input[start + step * stride].number.double) }
                var sum = 0.0
                for step in 0..<length { sum += exp(input[start + step * stride].number.double - maximum) }
                for step in 0..<length {
                    let shifted = input[start + step * stride].number.double - maximum
                    let value = logarithm ? shifted - log(sum) : exp(shifted) / sum
                    output[start + step * stride] = Element(number: Element.Number(computed: value))
                }
            }
        }
    }
}
