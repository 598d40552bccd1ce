import ZooGraph
import ZooTensor

/// TensorScatter (opset 24), any dtype: the present cache is the past cache `[B, …, M, …]`
/// with each batch row's update `[B, …, S, …]` (S ≤ M along the sequence axis) written from
/// position `write_indices[b]` (0 when absent). Linear mode requires the write to fit
/// (0 ≤ index and index + S ≤ M, checked at run time); circular mode wraps modulo M. Elements
/// are moved as bytes, one contiguous run of the axes after the sequence axis at a time.
struct TensorScatterKernel: Kernel {
    let node: String
    let batchCount: Int
    /// Rows before the sequence axis (batch included), the cache and update lengths, and the
    /// bytes of one sequence position.
    let outerRows: Int, cacheLength: Int, updateLength: Int, runBytes: Int
    let circular: Bool

    static func prepare(_ context: KernelContext, _ attributes: TensorScatterAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let cache = try context.type(0), update = try context.type(1)
        guard update.dtype == cache.dtype else { throw context.fail("update is \(update.dtype) but past_cache is \(cache.dtype)") }
        guard cache.rank >= 2 else { throw context.fail("past_cache \(cache) needs a batch and a sequence axis") }
        let axis = try context.axis(attributes.axis, rank: cache.rank)
        guard axis != 0 else { throw context.fail("axis \(attributes.axis) is the batch axis") }
        var expected = cache.shape
        expected[axis] = update.shape.count == cache.rank ? update.shape[axis] : -1
        guard update.shape == expected, expected[axis] <= cache.shape[axis] else {
            throw context.fail("update \(update) must match past_cache \(cache) on every axis but \(axis), where it may be shorter")
        }
        if let indices = context.optionalType(2) {
            guard indices.dtype == .int64, indices.shape == [cache.shape[0]] else {
                throw context.fail("write_indices must be int64 [\(cache.shape[0])], got \(indices)")
            }
        }
        try context.requireAllocatable(cache, value: context.node.outputs[0])
        // The cache is allocatable, so products of its dims cannot overflow.
        let kernel = TensorScatterKernel(
            node: context.node.name, batchCount: cache.shape[0], outerRows: cache.shape[..<axis].reduce(1, *),
            cacheLength: cache.shape[axis], updateLength: update.shape[axis],
            runBytes: cache.shape[(axis + 1)...].reduce(cache.dtype.byteSize, *), circular: attributes.circular)
        return PreparedKernel(kernel: kernel, outputTypes: [cache])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let indices = io.optionalInput(2)?.assumingMemoryBound(to: Int64.self)
        let starts = try (0..<batchCount).map { (batch: Int) throws(RuntimeError) -> Int in try start(indices.map { Int($0[batch]) } ?? 0) }
        let cache = io.input(0), update = io.input(1), present = io.output(0)
        present.copyMemory(from: cache, byteCount: outerRows * cacheLength * runBytes)
        let rowsPerBatch = batchCount == 0 ? 0 : outerRows / batchCount
        for row in 0..<outerRows {
            let first = starts[row / rowsPerBatch]
            for position in 0..<updateLength {
                let target = (first + position) % cacheLength
                (present + (row * cacheLength + target) * runBytes)
                    .copyMemory(from: update + (row * updateLength + position) * runBytes, byteCount: runBytes)
            }
        }
    }

    /// The first cache position a batch row writes, checked against the cache length.
    private func start(_ index: Int) throws(RuntimeError) -> Int {
        if circular {
            guard cacheLength > 0 else { return 0 }
            let wrapped = index % cacheLength
            return wrapped < 0 ? wrapped + cacheLength : wrapped
        }
        guard index >= 0, index <= cacheLength - updateLength else {
            throw .shape(node: node, op: "TensorScatter", message: "write index \(index) with \(updateLength) positions does not fit the cache's \(cacheLength) in linear mode")
        }
        return index
    }
}
