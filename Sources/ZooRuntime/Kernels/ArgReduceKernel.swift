import ZooGraph

extension ReductionKernels {
    static func prepareArgReduce(_ context: KernelContext, _ attributes: ArgReduceAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let (input, element) = try context.reductionElement(0)
        let axis = try context.axis(attributes.axis, rank: input.rank)
        return argReduce(element, context, attributes, input, axis: axis)
    }

    private static func argReduce<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ attributes: ArgReduceAttributes,
                                                             _ input: ValueType, axis: Int) -> PreparedKernel {
        var shape = input.shape
        if input.rank > 0 {
            if attributes.keepDims { shape[axis] = 1 } else { shape.remove(at: axis) }
        }
        let kernel = ArgReduceKernel<Element>(attributes: attributes, geometry: AxisGeometry(shape: input.shape, axis: axis),
                                              threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.int64, shape)])
    }
}

/// ArgMax and ArgMin: for each line along the axis, the int64 index of its first (with
/// select_last_index its last) largest or smallest element. Lines are spread over threads.
/// Shape inference refuses an empty axis, so every line has an element.
struct ArgReduceKernel<Element: ReductionElement>: Kernel {
    let attributes: ArgReduceAttributes
    let geometry: AxisGeometry
    let threads: Int

    func run(_ io: KernelIO) {
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Int64.self)
        let (length, stride) = (geometry.length, geometry.inner)
        Parallel.forRanges(geometry.lineCount, threads: threads, minimumChunk: max(1, 16384 / max(length, 1))) { range in
            for line in range {
                let first = input + geometry.start(ofLine: line)
                var best = first.pointee.number, bestIndex = 0
                for index in 1..<max(length, 1) {
                    let value = first[index * stride].number
                    if isBetter(value, than: best) || (attributes.selectLastIndex && value == best) {
                        (best, bestIndex) = (value, index)
                    }
                }
                output[line] = Int64(bestIndex)
            }
        }
    }

    private func isBetter(_ value: Element.Number, than best: Element.Number) -> Bool {
        attributes.selectsMaximum ? value > best : value < best
    }
}
