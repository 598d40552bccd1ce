import ZooGraph
import ZooTensor

extension ReductionKernels {
    static func prepareCumulative(_ context: KernelContext, _ attributes: CumulativeAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let (input, element) = try context.reductionElement(0)
        let axisType = try context.type(1)
        guard axisType.dtype == .int64 || axisType.dtype == .int32, axisType.elementCount == 1 else {
            throw context.fail("axis must be an int32 or int64 scalar, got \(axisType)")
        }
        // The axis does not size the output, so one known only at run time is read then.
        var axis: Int?
        if let value = context.constant(1)?.integerValues?.first { axis = try context.axis(value, rank: input.rank) }
        return cumulative(element, context, attributes, input, axis: axis, axisDType: axisType.dtype)
    }

    private static func cumulative<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ attributes: CumulativeAttributes,
                                                              _ input: ValueType, axis: Int?, axisDType: DType) -> PreparedKernel {
        let kernel = CumulativeKernel<Element>(node: context.node.name, attributes: attributes, shape: input.shape, constantAxis: axis,
                                               axisDType: axisDType, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }
}

/// CumSum and CumProd: y_t = x_0 ∘ … ∘ x_t along the axis (exclusive: up to x_{t−1}, with
/// y_0 the identity; reverse: from the end). Each line along the axis carries its running
/// value in the compute type (float32 for float16, rounded once per output); lines are
/// spread over threads.
struct CumulativeKernel<Element: ReductionElement>: Kernel {
    let node: String
    let attributes: CumulativeAttributes
    let shape: [Int]
    /// The axis when it is a constant; otherwise read from input 1 at run time.
    let constantAxis: Int?
    let axisDType: DType
    let threads: Int

    func run(_ io: KernelIO) throws(RuntimeError) {
        var axis = constantAxis ?? 0
        if constantAxis == nil { axis = try runTimeAxis(io) }
        let geometry = AxisGeometry(shape: shape, axis: axis)
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let (length, stride) = (geometry.length, geometry.inner)
        let identity: Element.Number = attributes.operation == .sum ? .zero : .one
        Parallel.forRanges(geometry.lineCount, threads: threads, minimumChunk: max(1, 16384 / max(length, 1))) { range in
            for line in range {
                let start = geometry.start(ofLine: line)
                var running = identity
                for step in 0..<length {
                    let offset = start + (attributes.reverse ? length - 1 - step : step) * stride
                    if attributes.exclusive { output[offset] = Element(number: running) }
                    running = fold(running, input[offset].number)
                    if !attributes.exclusive { output[offset] = Element(number: running) }
                }
            }
        }
    }

    private func runTimeAxis(_ io: KernelIO) throws(RuntimeError) -> Int {
        let value = axisDType == .int64 ? Int(io.input(1).load(as: Int64.self)) : Int(io.input(1).load(as: Int32.self))
        let resolved = value < 0 ? value + shape.count : value
        guard (0..<max(shape.count, 1)).contains(resolved) else {
            throw .shape(node: node, op: attributes.operation.onnxName,
                         message: "axis \(value) is outside the valid range for rank \(shape.count)")
        }
        return resolved
    }

    private func fold(_ running: Element.Number, _ value: Element.Number) -> Element.Number {
        attributes.operation == .sum ? Element.Number.plus(running, value) : Element.Number.times(running, value)
    }
}
