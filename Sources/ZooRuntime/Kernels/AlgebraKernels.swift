import Foundation
import ZooGraph
import ZooTensor

/// Kernels of AlgebraOp. Det, LpNormalization and GlobalLpPool read any floating dtype and
/// compute in Double; Einsum is EinsumKernel; BitCast copies bytes.
enum AlgebraKernels {
    static func prepare(_ context: KernelContext, _ op: AlgebraOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        switch op {
        case .einsum(let equation): return try EinsumKernel.prepare(context, equation)
        case .bitCast(let target):
            let input = try context.type(0)
            guard input.dtype.byteSize == target.byteSize else { throw context.fail("cannot read \(input.dtype) as \(target)") }
            return PreparedKernel(kernel: CopyKernel(byteCount: input.byteCount, maskCount: nil), outputTypes: [ValueType(target, input.shape)])
        case .det:
            let (input, element) = try floating(context)
            guard input.rank >= 2, input.shape[input.rank - 1] == input.shape[input.rank - 2] else {
                throw context.fail("Det needs square matrices in the last two axes, got \(input)")
            }
            let output = ValueType(input.dtype, Array(input.shape.dropLast(2)))
            return PreparedKernel(kernel: makeDeterminant(element, size: input.shape[input.rank - 1], count: output.elementCount,
                                                          threads: context.threads), outputTypes: [output])
        case .lpNormalization(let axis, let p):
            let (input, element) = try floating(context)
            guard p == 1 || p == 2 else { throw context.unsupported("p \(p): LpNormalization takes 1 or 2") }
            let geometry = AxisGeometry(shape: input.shape, axis: try context.axis(axis, rank: input.rank))
            return PreparedKernel(kernel: makeLpNorm(element, geometry: geometry, p: p, normalizes: true, threads: context.threads),
                                  outputTypes: [input])
        case .globalLpPool(let p):
            let (input, element) = try floating(context)
            guard input.rank >= 3, p >= 1 else { throw context.fail("GlobalLpPool needs [N, C, spatial…] and p ≥ 1, got \(input), p \(p)") }
            let spatial = Array(input.shape.dropFirst(2))
            // The spatial positions of each (n, c) as one axis of a [N·C, positions] view.
            let geometry = AxisGeometry(shape: [input.shape[0] * input.shape[1], spatial.reduce(1, *)], axis: 1)
            let output = ValueType(input.dtype, Array(input.shape.prefix(2)) + spatial.map { _ in 1 })
            return PreparedKernel(kernel: makeLpNorm(element, geometry: geometry, p: p, normalizes: false, threads: context.threads),
                                  outputTypes: [output])
        }
    }

    private static func floating(_ context: KernelContext) throws(RuntimeError) -> (ValueType, any TensorElement.Type) {
        let input = try context.type(0)
        guard let element = ElementTypes.floating(input.dtype) else {
            throw context.unsupported("input '\(context.node.inputs[0])' is \(input.dtype); this kernel takes floating-point tensors")
        }
        return (input, element)
    }

    private static func makeDeterminant<Element: TensorElement>(_: Element.Type, size: Int, count: Int, threads: Int) -> any Kernel {
        DeterminantKernel<Element>(size: size, count: count, threads: threads)
    }

    private static func makeLpNorm<Element: TensorElement>(_: Element.Type, geometry: AxisGeometry, p: Int, normalizes: Bool,
                                                           threads: Int) -> any Kernel {
        LpNormKernel<Element>(geometry: geometry, p: p, normalizes: normalizes, threads: threads)
    }
}

/// Det: LU elimination with partial pivoting of each M×M matrix in Double, the determinant
/// the product of the pivots with the sign of the row swaps. Matrices are spread over threads.
struct DeterminantKernel<Element: TensorElement>: Kernel {
    let size: Int
    let count: Int
    let threads: Int

    func run(_ io: KernelIO) {
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let area = size * size
        Parallel.forRanges(count, threads: threads, minimumChunk: max(1, 4096 / max(area * size, 1))) { range in
            var matrix = [Double](repeating: 0, count: area)
            for index in range {
                for position in 0..<area { matrix[position] = input[index * area + position].doubleValue }
                output[index] = Element(fromDouble: Self.determinant(&matrix, size))
            }
        }
    }

    static func determinant(_ a: inout [Double], _ n: Int) -> Double {
        var result = 1.0
        for column in 0..<n {
            var pivot = column
            for row in (column + 1)..<n where abs(a[row * n + column]) > abs(a[pivot * n + column]) { pivot = row }
            if pivot != column {
                for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
                result = -result
            }
            let diagonal = a[column * n + column]
            guard diagonal != 0 else { return 0 }
            result *= diagonal
            for row in (column + 1)..<n {
                let factor = a[row * n + column] / diagonal
                if factor == 0 { continue }
                for k in (column + 1)..<n { a[row * n + k] -= factor * a[column * n + k] }
            }
        }
        return result
    }
}

/// The Lp norm of each line along an axis, in Double: LpNormalization divides the line by
/// it (in place of the output; a zero norm gives zeros, as onnxruntime does); GlobalLpPool
/// writes it. Lines are spread over threads.
struct LpNormKernel<Element: TensorElement>: Kernel {
    let geometry: AxisGeometry
    let p: Int
    let normalizes: Bool
    let threads: Int

    func run(_ io: KernelIO) {
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let (length, stride) = (geometry.length, geometry.inner)
        Parallel.forRanges(geometry.lineCount, threads: threads, minimumChunk: max(1, 16384 / max(length, 1))) { range in
            for line in range {
                let start = geometry.start(ofLine: line)
                var sum = 0.0
                for index in 0..<length {
                    let value = abs(input[start + index * stride].doubleValue)
                    sum += p == 1 ? value : p == 2 ? value * value : pow(value, Double(p))
                }
                let norm = p == 1 ? sum : p == 2 ? sum.squareRoot() : pow(sum, 1 / Double(p))
                guard normalizes else { output[line] = Element(fromDouble: norm); continue }
                for index in 0..<length {
                    let value = input[start + index * stride].doubleValue
                    output[start + index * stride] = Element(fromDouble: norm == 0 ? 0 : value / norm)
                }
            }
        }
    }
}
