import ZooGraph
import ZooTensor

/// Contract: any elementwise op at any dtype its scalar function is defined for, with numpy
/// broadcasting, as one or more passes over the output. Each pass reads up to two operands
/// (graph inputs, or the output itself when a variadic op folds its next input in) through a
/// `StridedLayout` and applies a span function built once, at prepare time, for the op's
/// dtype (`ElementwiseSpans`, from the scalar functions of `ScalarFunctions`). float32 ops in
/// models' hot paths keep 16-lane spans. Runs allocate nothing.
struct ElementwiseKernel: Kernel {
    struct Pass: Sendable {
        /// Operands: output, left, right.
        let layout: StridedLayout
        /// The input each operand reads; `Pass.output` reads the output (in place).
        let left: Int
        let right: Int
        let span: ElementwiseSpan

        static let output = -1
    }

    let passes: [Pass]
    let threads: Int

    func run(_ io: KernelIO) {
        let output = io.output(0)
        for pass in passes {
            let left = pass.left == Pass.output ? UnsafeRawPointer(output) : io.input(pass.left)
            let right = pass.right == Pass.output ? UnsafeRawPointer(output) : io.input(pass.right)
            Parallel.forRanges(pass.layout.elementCount, threads: threads, minimumChunk: 1 << 15) { range in
                pass.layout.forEachSpan(in: range) { outputOffset, offsets, count in
                    pass.span(output, left, right, SpanGeometry(offsets: offsets, rowStrides: pass.layout.rowStrides, count: count))
                }
            }
        }
    }
}

/// Where one span's elements are: offsets of its first element in the output and the two
/// operands, their steps along the span (0 = broadcast; the output's is 1), and its length.
struct SpanGeometry {
    let offsets: SIMD4<Int>
    let rowStrides: [Int]
    let count: Int
}

typealias ElementwiseSpan = @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer, UnsafeRawPointer, SpanGeometry) -> Void

extension ElementwiseKernel {
    /// A unary function of input 0 over its own shape.
    static func prepareUnary(_ context: KernelContext, _ function: ScalarUnary) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        guard let (span, resultType) = ElementwiseSpans.unary(function, input.dtype) else {
            throw context.unsupported("\(context.opName) of \(input.dtype) has no kernel")
        }
        let layout = StridedLayout(shape: input.shape, strides: Array(repeating: StridedLayout.rowMajorStrides(input.shape), count: 3))
        return PreparedKernel(kernel: ElementwiseKernel(passes: [Pass(layout: layout, left: 0, right: 0, span: span)], threads: context.threads),
                              outputTypes: [ValueType(resultType, input.shape)])
    }

    /// A binary function of inputs 0 and 1, broadcast together.
    static func prepareBinary(_ context: KernelContext, _ operation: ScalarBinary) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let left = try context.type(0), right = try context.type(1)
        guard let shape = BinaryKernel.broadcastShape(left.shape, right.shape) else {
            throw context.fail("cannot broadcast \(left) with \(right)")
        }
        guard let (span, resultType) = ElementwiseSpans.binary(operation, left.dtype, right.dtype) else {
            throw context.unsupported("\(context.opName) of \(left.dtype) and \(right.dtype) has no kernel")
        }
        let pass = Pass(layout: layout(shape, left.shape, right.shape), left: 0, right: 1, span: span)
        return PreparedKernel(kernel: ElementwiseKernel(passes: [pass], threads: context.threads),
                              outputTypes: [ValueType(resultType, shape)])
    }

    /// Sum, Mean, Min, Max of N inputs: the first two combined into the output, each further
    /// input folded into it in place, and Mean's division by N as a last pass.
    static func prepareVariadic(_ context: KernelContext, _ operation: VariadicOperation) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let types = try context.node.inputs.indices.map { (index: Int) throws(RuntimeError) -> ValueType in try context.type(index) }
        var shape = types[0].shape
        for type in types.dropFirst() {
            guard let combined = BinaryKernel.broadcastShape(shape, type.shape) else {
                throw context.fail("cannot broadcast \(types.map(\.description).joined(separator: ", "))")
            }
            shape = combined
        }
        let dtype = types[0].dtype
        let combine: ScalarBinary = switch operation {
        case .sum, .mean: .add
        case .min: .min
        case .max: .max
        }
        guard types.allSatisfy({ $0.dtype == dtype }), let (span, _) = ElementwiseSpans.binary(combine, dtype, dtype),
              let (copy, _) = ElementwiseSpans.unary(.identity, dtype) else {
            throw context.unsupported("\(context.opName) of \(types.map { "\($0.dtype)" }.joined(separator: ", ")) has no kernel")
        }
        var passes: [Pass]
        if types.count == 1 {
            passes = [Pass(layout: layout(shape, types[0].shape, types[0].shape), left: 0, right: 0, span: copy)]
        } else {
            passes = [Pass(layout: layout(shape, types[0].shape, types[1].shape), left: 0, right: 1, span: span)]
        }
        for index in types.indices.dropFirst(2) {
            passes.append(Pass(layout: layout(shape, shape, types[index].shape), left: Pass.output, right: index, span: span))
        }
        if operation == .mean {
            guard let (divide, _) = ElementwiseSpans.unary(.scale(1 / Double(types.count)), dtype) else {
                throw context.unsupported("Mean of \(dtype) has no kernel")
            }
            passes.append(Pass(layout: layout(shape, shape, shape), left: Pass.output, right: Pass.output, span: divide))
        }
        return PreparedKernel(kernel: ElementwiseKernel(passes: passes, threads: context.threads),
                              outputTypes: [ValueType(dtype, shape)])
    }

    private static func layout(_ shape: [Int], _ left: [Int], _ right: [Int]) -> StridedLayout {
        StridedLayout(shape: shape, strides: [
            StridedLayout.rowMajorStrides(shape),
            StridedLayout.broadcastStrides(of: left, to: shape),
            StridedLayout.broadcastStrides(of: right, to: shape),
        ])
    }
}
