import ZooGraph
import ZooTensor

/// Clip (opset 13): `y = min(max(x, low), high)` element-wise, for every floating and integer
/// dtype. The bounds are optional scalar inputs read at run time; an absent one is the
/// dtype's lowest or greatest finite value, as ONNX defines (so infinities become finite, as
/// in onnxruntime). When low > high every element becomes high; NaN stays NaN.
struct ClipKernel: Kernel {
    let dtype: DType
    let count: Int
    let threads: Int

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        guard input.dtype.isFloatingPoint || input.dtype.isInteger else {
            throw context.unsupported("input is \(input.dtype); Clip bounds numbers")
        }
        for (index, role) in [(1, "min"), (2, "max")] where context.node.input(index) != nil {
            let bound = try context.type(index)
            guard bound.dtype == input.dtype, bound.elementCount == 1 else {
                throw context.fail("\(role) must be a \(input.dtype) scalar, got \(bound)")
            }
        }
        return PreparedKernel(kernel: ClipKernel(dtype: input.dtype, count: input.elementCount, threads: context.threads),
                              outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        switch dtype {
        case .float32: clipFloats(io)
        case .float64: clip(io, Double.self, unbounded: (-.greatestFiniteMagnitude, .greatestFiniteMagnitude), isLess: <)
        case .float16: clip(io, Float16.self, unbounded: (-.greatestFiniteMagnitude, .greatestFiniteMagnitude), isLess: <)
        case .bfloat16:
            let greatest = BFloat16(bitPattern: 0x7F7F), lowest = BFloat16(bitPattern: 0xFF7F)
            clip(io, BFloat16.self, unbounded: (lowest, greatest)) { $0.floatValue < $1.floatValue }
        case .int64: clip(io, Int64.self, unbounded: (.min, .max), isLess: <)
        case .int32: clip(io, Int32.self, unbounded: (.min, .max), isLess: <)
        case .int16: clip(io, Int16.self, unbounded: (.min, .max), isLess: <)
        case .int8: clip(io, Int8.self, unbounded: (.min, .max), isLess: <)
        case .uint64: clip(io, UInt64.self, unbounded: (.min, .max), isLess: <)
        case .uint32: clip(io, UInt32.self, unbounded: (.min, .max), isLess: <)
        case .uint16: clip(io, UInt16.self, unbounded: (.min, .max), isLess: <)
        case .uint8: clip(io, UInt8.self, unbounded: (.min, .max), isLess: <)
        case .bool: break  // refused by prepare
        }
    }

    /// The bounds of this run: the scalar inputs, or `unbounded`'s ends where absent.
    private func bounds<Element>(_ io: KernelIO, _ type: Element.Type, unbounded: (Element, Element)) -> (Element, Element) {
        (io.optionalInput(1)?.load(as: Element.self) ?? unbounded.0, io.optionalInput(2)?.load(as: Element.self) ?? unbounded.1)
    }

    /// Written with `<` only, so that a NaN (all comparisons false) passes through unchanged.
    private func clip<Element>(_ io: KernelIO, _ type: Element.Type, unbounded: (Element, Element),
                               isLess: (Element, Element) -> Bool) {
        let (low, high) = bounds(io, type, unbounded: unbounded)
        let source = io.input(0).assumingMemoryBound(to: Element.self)
        let destination = io.output(0).assumingMemoryBound(to: Element.self)
        for index in 0..<count {
            let raised = isLess(source[index], low) ? low : source[index]
            destination[index] = isLess(high, raised) ? high : raised
        }
    }

    private func clipFloats(_ io: KernelIO) {
        let (low, high) = bounds(io, Float.self, unbounded: (-.greatestFiniteMagnitude, .greatestFiniteMagnitude))
        let lows = Float16x(repeating: low), highs = Float16x(repeating: high)
        let source = io.floats(0), destination = io.outputFloats(0)
        Parallel.forRanges(count, threads: threads, minimumChunk: 1 << 15) { range in
            VectorMath.map(source + range.lowerBound, destination + range.lowerBound, count: range.count) { x in
                let raised = x.replacing(with: lows, where: x .< lows)
                return raised.replacing(with: highs, where: highs .< raised)
            }
        }
    }
}
