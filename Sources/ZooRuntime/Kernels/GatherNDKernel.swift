import ZooGraph

/// GatherND: each index tuple `indices[..., :]` (int64) addresses the first k axes of
/// `data` after `batchDims` leading axes both share; the slice it addresses is copied whole.
/// Out-of-range indices are an error, as in Gather.
struct GatherNDKernel: Kernel {
    let node: String
    let batchCount: Int
    /// Index tuples per batch, and their length k.
    let tuplesPerBatch: Int
    let depth: Int
    /// Sizes and element strides of the k addressed axes of data.
    let addressedSizes: [Int]
    let addressedStrides: [Int]
    let dataBatchStride: Int
    let sliceElements: Int
    let elementSize: Int

    static func prepare(_ context: KernelContext, batchDims: Int) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let data = try context.type(0), indices = try context.type(1)
        guard indices.dtype == .int64 else { throw context.fail("indices must be int64, got \(indices.dtype)") }
        guard batchDims >= 0, batchDims < min(data.rank, indices.rank),
              data.shape[..<batchDims] == indices.shape[..<batchDims] else {
            throw context.fail("batch_dims \(batchDims) does not fit data \(data) and indices \(indices)")
        }
        let depth = indices.shape[indices.rank - 1]
        guard (1...(data.rank - batchDims)).contains(depth) else {
            throw context.fail("indices \(indices) address \(depth) axes of data \(data) after \(batchDims) batch axes")
        }
        let strides = StridedLayout.rowMajorStrides(data.shape)
        let addressed = batchDims..<(batchDims + depth)
        let kernel = GatherNDKernel(
            node: context.node.name, batchCount: data.shape[..<batchDims].reduce(1, *),
            tuplesPerBatch: indices.shape[batchDims..<(indices.rank - 1)].reduce(1, *), depth: depth,
            addressedSizes: Array(data.shape[addressed]), addressedStrides: Array(strides[addressed]),
            dataBatchStride: data.shape[batchDims...].reduce(1, *), sliceElements: data.shape[addressed.upperBound...].reduce(1, *),
            elementSize: data.dtype.byteSize)
        let shape = Array(indices.shape.dropLast()) + Array(data.shape[addressed.upperBound...])
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(data.dtype, shape)])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let data = io.input(0), indices = io.input(1).assumingMemoryBound(to: Int64.self)
        let sliceBytes = sliceElements * elementSize
        var destination = io.output(0)
        for batch in 0..<batchCount {
            for tuple in 0..<tuplesPerBatch {
                let indexTuple = indices + (batch * tuplesPerBatch + tuple) * depth
                var offset = batch * dataBatchStride
                for axis in 0..<depth {
                    var index = Int(indexTuple[axis])
                    if index < 0 { index += addressedSizes[axis] }
                    guard (0..<addressedSizes[axis]).contains(index) else {
                        throw .shape(node: node, op: "GatherND", message: "index \(indexTuple[axis]) is outside [0, \(addressedSizes[axis])) on axis \(axis)")
                    }
                    offset += index * addressedStrides[axis]
                }
                destination.copyMemory(from: data + offset * elementSize, byteCount: sliceBytes)
                destination += sliceBytes
            }
        }
    }
}
