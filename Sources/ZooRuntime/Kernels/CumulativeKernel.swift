import ZooGraph

extension ReductionKernels {
    static func prepareCumulative(_ context: KernelContext, _ attributes: CumulativeAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let (input, element) = try context.reductionElement(0)
        guard let axisValues = try context.constantIntegers(1, role: "axis"), axisValues.count == 1 else {
            throw context.fail("axis must be one integer")
        }
        let axis = try context.axis(axisValues[0], rank: input.rank)
        return cumulative(element, context, attributes, input, axis: axis)
    }

    private static func cumulative<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ attributes: CumulativeAttributes,
                                                              _ input: ValueType, axis: Int) -> PreparedKernel {
        let kernel = CumulativeKernel<Element>(attributes: attributes, geometry: AxisGeometry(shape: input.shape, axis: axis),
                                               threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }
}

/// CumSum and CumProd: y_t = x_0 ∘ … ∘ x_t along the axis (exclusive: up to x_{t−1}, with
/// y_0 the identity; reverse: from the end). Each slice before the axis walks its steps in
/// order, folding a whole contiguous row of `inner` elements per step; slices are spread
/// over threads.
struct CumulativeKernel<Element: ReductionElement>: Kernel {
    let attributes: CumulativeAttributes
    let geometry: AxisGeometry
    let threads: Int

    func run(_ io: KernelIO) {
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let (length, inner) = (geometry.length, geometry.inner)
        let identity: Element.Number = attributes.operation == .sum ? .zero : .one
        Parallel.forRanges(geometry.outer, threads: threads, minimumChunk: max(1, 16384 / max(length * inner, 1))) { range in
            for slice in range {
                let base = slice * length * inner
                for step in 0..<length {
                    let position = attributes.reverse ? length - 1 - step : step
                    let previous = attributes.reverse ? position + 1 : position - 1
                    let row = output + base + position * inner
                    for index in 0..<inner {
                        let running = step == 0 ? identity : output[base + previous * inner + index].number
                        let added = attributes.exclusive ? (step == 0 ? identity : input[base + previous * inner + index].number)
                                                         : input[base + position * inner + index].number
                        row[index] = Element(number: fold(running, added))
                    }
                }
            }
        }
    }

    private func fold(_ running: Element.Number, _ value: Element.Number) -> Element.Number {
        attributes.operation == .sum ? Element.Number.plus(running, value) : Element.Number.times(running, value)
    }
}
