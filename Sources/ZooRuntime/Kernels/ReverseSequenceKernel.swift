import ZooGraph
import ZooTensor

/// ReverseSequence: for each batch entry b, the first `sequence_lens[b]` steps along the
/// time axis come out in reverse order and the rest unchanged. Batch and time are the first
/// two axes (either order); each (time, batch) cell is one contiguous run of the later axes.
/// A length outside [0, steps] stops the run with an error naming the node.
struct ReverseSequenceKernel: Kernel {
    let node: String
    let batchCount: Int
    let stepCount: Int
    /// Byte strides of a step and of a batch entry, and bytes per (step, entry) cell.
    let stepStride: Int
    let batchStride: Int
    let cellBytes: Int

    static func prepare(_ context: KernelContext, batchAxis: Int, timeAxis: Int) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0), lengths = try context.type(1)
        guard input.rank >= 2, [batchAxis, timeAxis].sorted() == [0, 1] else {
            throw context.fail("needs batch_axis and time_axis 0 and 1 of an input of rank 2 or more, got \(batchAxis), \(timeAxis) and \(input)")
        }
        guard lengths.dtype == .int64, lengths.shape == [input.shape[batchAxis]] else {
            throw context.fail("sequence_lens \(lengths) must be int64[\(input.shape[batchAxis])]")
        }
        let cell = input.shape[2...].reduce(1, *)
        let strides = StridedLayout.rowMajorStrides(input.shape).map { $0 * input.dtype.byteSize }
        let kernel = ReverseSequenceKernel(node: context.node.name, batchCount: input.shape[batchAxis], stepCount: input.shape[timeAxis],
                                           stepStride: strides[timeAxis], batchStride: strides[batchAxis],
                                           cellBytes: cell * input.dtype.byteSize)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let input = io.input(0), lengths = io.input(1).assumingMemoryBound(to: Int64.self), output = io.output(0)
        for batch in 0..<batchCount {
            let length = lengths[batch]
            guard length >= 0 && length <= Int64(stepCount) else {
                throw .shape(node: node, op: "ReverseSequence", message: "sequence length \(length) of batch entry \(batch) is outside [0, \(stepCount)]")
            }
            for step in 0..<stepCount {
                let source = step < Int(length) ? Int(length) - 1 - step : step
                (output + offset(step, batch)).copyMemory(from: input + offset(source, batch), byteCount: cellBytes)
            }
        }
    }

    /// Byte offset of the (step, batch entry) cell.
    private func offset(_ step: Int, _ batch: Int) -> Int {
        step * stepStride + batch * batchStride
    }
}
