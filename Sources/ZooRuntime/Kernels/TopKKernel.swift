import ZooGraph

extension ReductionKernels {
    static func prepareTopK(_ context: KernelContext, _ attributes: TopKAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let (input, element) = try context.reductionElement(0)
        guard input.rank > 0 else { throw context.fail("input '\(context.node.inputs[0])' must have an axis, got a scalar") }
        let axis = try context.axis(attributes.axis, rank: input.rank)
        guard let values = try context.constantIntegers(1, role: "k"), values.count == 1, let k = values.first,
              (0...input.shape[axis]).contains(k) else {
            throw context.fail("k must be one value from 0 to the axis's \(input.shape[axis]) elements")
        }
        return topK(element, context, attributes, input, axis: axis, k: k)
    }

    private static func topK<Element: ReductionElement>(_: Element.Type, _ context: KernelContext, _ attributes: TopKAttributes,
                                                         _ input: ValueType, axis: Int, k: Int) -> PreparedKernel {
        var shape = input.shape
        shape[axis] = k
        let geometry = AxisGeometry(shape: input.shape, axis: axis)
        let threads = SmallWork.isSmall(input.shape) ? 1 : min(context.threads, max(geometry.lineCount, 1))
        let kernel = TopKKernel<Element>(largest: attributes.largest, geometry: geometry, k: k, threads: threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(input.dtype, shape), ValueType(.int64, shape)])
    }
}

/// TopK: for each line along the axis, the k largest (smallest) elements in order of value
/// and their int64 indices. Equal values keep their index order, as onnxruntime gives them;
/// NaN counts as larger than every number. Each thread orders the indices of one line at a
/// time in its share of the scratch memory; lines are spread over threads.
struct TopKKernel<Element: ReductionElement>: Kernel {
    let largest: Bool
    let geometry: AxisGeometry
    let k: Int
    let threads: Int

    /// One line's indices per thread.
    var scratchByteCount: Int { MemoryPlanner.aligned(threads * geometry.length * MemoryLayout<Int>.stride) }

    func run(_ io: KernelIO) {
        guard let scratch = io.scratch, k > 0 else { return }
        let input = UnsafeSendable(io.input(0).assumingMemoryBound(to: Element.self))
        let values = UnsafeSendable(io.output(0).assumingMemoryBound(to: Element.self))
        let indices = UnsafeSendable(io.output(1).assumingMemoryBound(to: Int64.self))
        let order = UnsafeSendable(scratch.assumingMemoryBound(to: Int.self))
        let (length, inner) = (geometry.length, geometry.inner)
        Parallel.team(threads: threads) { member in
            let line = UnsafeMutableBufferPointer(start: order.value + member.index * length, count: length)
            for lineIndex in member.share(of: geometry.lineCount) {
                let first = input.value + geometry.start(ofLine: lineIndex)
                for index in 0..<length { line[index] = index }
                let precedes = { (a: Int, b: Int) -> Bool in
                    let (x, y) = (first[a * inner].number, first[b * inner].number)
                    if x == y || (x.isUnordered && y.isUnordered) { return a < b }
                    return largest ? Self.isGreater(x, y) : Self.isGreater(y, x)
                }
                if k < length {
                    Self.selectFirst(k, of: line, by: precedes)
                }
                var results = UnsafeMutableBufferPointer(rebasing: line[..<k])
                results.sort(by: precedes)
                let (slice, position) = lineIndex.quotientAndRemainder(dividingBy: inner)
                let target = slice * k * inner + position
                for rank in 0..<k {
                    values.value[target + rank * inner] = first[line[rank] * inner]
                    indices.value[target + rank * inner] = Int64(line[rank])
                }
            }
        }
    }

    /// x > y with NaN above every number.
    private static func isGreater(_ x: Element.Number, _ y: Element.Number) -> Bool {
        x.isUnordered ? !y.isUnordered : (!y.isUnordered && x > y)
    }

    /// Moves the k elements that `precedes` orders first to the front (in any order):
    /// quickselect, expected linear time.
    private static func selectFirst(_ k: Int, of line: UnsafeMutableBufferPointer<Int>, by precedes: (Int, Int) -> Bool) {
        var (low, high) = (0, line.count - 1)
        while low < high {
            // Middle pivot, Lomuto partition: [low, store) precede the pivot.
            line.swapAt((low + high) / 2, high)
            var store = low
            for index in low..<high where precedes(line[index], line[high]) {
                line.swapAt(index, store)
                store += 1
            }
            line.swapAt(store, high)
            if store == k - 1 || store == k { return }
            if store < k { low = store + 1 } else { high = store - 1 }
        }
    }
}
