import CZooKernels
import Foundation
import ZooGraph

/// Relu, Sigmoid, Tanh, Erf, Sqrt, Exp, Neg on float32, 16 lanes at a time; the first three
/// through `zoo_activate` (compiled for AVX-512 where the CPU has it), the rest in Swift.
/// Other dtypes go to the generic `ElementwiseKernel`.
struct UnaryKernel: Kernel {
    enum Function: Sendable {
        case relu, sigmoid, tanh, erf, sqrt, exp, neg

        var scalar: ScalarUnary {
            switch self {
            case .relu: .relu
            case .sigmoid: .sigmoid
            case .tanh: .tanh
            case .erf: .erf
            case .sqrt: .sqrt
            case .exp: .exp
            case .neg: .neg
            }
        }
    }

    let function: Function
    let count: Int
    let threads: Int

    static func prepare(_ context: KernelContext, _ function: Function) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        guard try context.type(0).dtype == .float32 else { return try ElementwiseKernel.prepareUnary(context, function.scalar) }
        let input = try context.floatType(0)
        return PreparedKernel(kernel: UnaryKernel(function: function, count: input.elementCount, threads: context.threads),
                              outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        let source = io.floats(0), destination = io.outputFloats(0)
        Parallel.forRanges(count, threads: threads, minimumChunk: 1 << 15) { range in
            let input = source + range.lowerBound, output = destination + range.lowerBound
            switch function {
            case .relu: zoo_activate(input, output, range.count, Int32(ZOO_ACTIVATION_RELU))
            case .sigmoid: zoo_activate(input, output, range.count, Int32(ZOO_ACTIVATION_SIGMOID))
            case .tanh: zoo_activate(input, output, range.count, Int32(ZOO_ACTIVATION_TANH))
            case .erf: VectorMath.map(input, output, count: range.count, VectorMath.erf)
            case .sqrt: VectorMath.map(input, output, count: range.count) { $0.squareRoot() }
            case .exp: VectorMath.map(input, output, count: range.count, VectorMath.exp)
            // A SIMD vector's prefix minus is 0 − x, which turns −0 into +0; multiplying by −1
            // is exact and flips every sign, zeros' included, as Neg's y = −x asks.
            case .neg: VectorMath.map(input, output, count: range.count) { $0 * -1 }
            }
        }
    }
}
