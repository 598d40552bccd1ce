import ZooGraph

extension ReductionKernels {
    static func prepareHardmax(_ context: KernelContext, axis: Int) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let (input, element) = try context.reductionElement(0)
        let resolved = try context.axis(axis, rank: input.rank)
        return hardmax(element, context, input, axis: resolved)
    }

    private static func hardmax<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ input: ValueType,
                                                           axis: Int) -> PreparedKernel {
        let kernel = HardmaxKernel<Element>(geometry: AxisGeometry(shape: input.shape, axis: axis), threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }
}

/// Hardmax (opset 13): 1 at the first largest element of each line along the axis, 0
/// elsewhere. Lines are spread over threads.
struct HardmaxKernel<Element: ReductionElement>: Kernel {
    let geometry: AxisGeometry
    let threads: Int

    func run(_ io: KernelIO) {
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let (length, stride) = (geometry.length, geometry.inner)
        guard length > 0 else { return }
        Parallel.forRanges(geometry.lineCount, threads: threads, minimumChunk: max(1, 16384 / length)) { range in
            for line in range {
                let start = geometry.start(ofLine: line)
                var best = input[start].number, bestIndex = 0
                for index in 1..<length where input[start + index * stride].number > best {
                    (best, bestIndex) = (input[start + index * stride].number, index)
                }
                for index in 0..<length {
                    output[start + index * stride] = Element(number: index == bestIndex ? .one : .zero)
                }
            }
        }
    }
}
