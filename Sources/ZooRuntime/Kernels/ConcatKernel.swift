import ZooTensor

/// Concat: for every index of the axes before `axis`, each input contributes one contiguous
/// block of (its size along axis) × (elements after axis).
struct ConcatKernel: Kernel {
    let outerCount: Int
    /// Bytes each input contributes per outer index.
    let blockBytes: [Int]

    static func prepare(_ context: KernelContext, axis: Int) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let first = try context.type(0)
        let resolved = try context.axis(axis, rank: first.rank)
        var shape = first.shape
        shape[resolved] = 0
        for index in context.node.inputs.indices {
            let input = try context.type(index)
            guard input.dtype == first.dtype, input.rank == first.rank,
                  input.shape.indices.allSatisfy({ $0 == resolved || input.shape[$0] == first.shape[$0] }) else {
                throw context.fail("input \(input) does not match \(first) outside axis \(resolved)")
            }
            shape[resolved] += input.shape[resolved]
        }
        // Channels-last NCHW values are stored as NHWC arrays joined along their last axis.
        let (stored, storedAxis) = context.node.layout == .channelsLast ? ({ (shape: [Int]) in [shape[0], shape[2], shape[3], shape[1]] }, 3)
                                                                         : ({ (shape: [Int]) in shape }, resolved)
        let blocks = context.inputTypes.map { stored($0!.shape)[storedAxis...].reduce(1, *) * first.dtype.byteSize }
        let kernel = ConcatKernel(outerCount: stored(first.shape)[..<storedAxis].reduce(1, *), blockBytes: blocks)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(first.dtype, shape)])
    }

    func run(_ io: KernelIO) {
        var destination = io.output(0)
        for outer in 0..<outerCount {
            for (index, bytes) in blockBytes.enumerated() {
                destination.copyMemory(from: io.input(index) + outer * bytes, byteCount: bytes)
                destination += bytes
            }
        }
    }
}

/// Gather along `axis`: output = data[..., indices, ...]; negative indices count from the
/// end; an index out of range is a run-time error naming the node.
struct GatherKernel: Kernel {
    let node: String
    let outerCount: Int
    let axisSize: Int
    let innerBytes: Int
    let indexCount: Int
    let indexType: DType

    static func prepare(_ context: KernelContext, axis: Int) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let data = try context.type(0), indices = try context.type(1)
        guard indices.dtype == .int64 || indices.dtype == .int32 else {
            throw context.fail("indices must be int64 or int32, got \(indices.dtype)")
        }
        let resolved = try context.axis(axis, rank: data.rank)
        let shape = Array(data.shape[..<resolved]) + indices.shape + Array(data.shape[(resolved + 1)...])
        let kernel = GatherKernel(
            node: context.node.name, outerCount: data.shape[..<resolved].reduce(1, *), axisSize: data.shape[resolved],
            innerBytes: data.shape[(resolved + 1)...].reduce(1, *) * data.dtype.byteSize,
            indexCount: indices.elementCount, indexType: indices.dtype)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(data.dtype, shape)])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let data = io.input(0), indices = io.input(1)
        var destination = io.output(0)
        for outer in 0..<outerCount {
            let block = data + outer * axisSize * innerBytes
            for position in 0..<indexCount {
                var index = indexType == .int64 ? Int(indices.load(fromByteOffset: position * 8, as: Int64.self))
                                                : Int(indices.load(fromByteOffset: position * 4, as: Int32.self))
                if index < 0 { index += axisSize }
                guard (0..<axisSize).contains(index) else {
                    throw .shape(node: node, op: "Gather", message: "index \(index) is outside [0, \(axisSize))")
                }
                destination.copyMemory(from: block + index * innerBytes, byteCount: innerBytes)
                destination += innerBytes
            }
        }
    }
}

/// Where(condition, X, Y) with three-way broadcasting; moves elements by size, so any dtype.
struct WhereKernel: Kernel {
    let layout: StridedLayout
    let elementSize: Int

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let condition = try context.type(0), x = try context.type(1), y = try context.type(2)
        guard condition.dtype == .bool else { throw context.fail("condition must be bool, got \(condition.dtype)") }
        guard x.dtype == y.dtype else { throw context.fail("X is \(x.dtype) but Y is \(y.dtype)") }
        guard let partial = BinaryKernel.broadcastShape(condition.shape, x.shape),
              let shape = BinaryKernel.broadcastShape(partial, y.shape) else {
            throw context.fail("cannot broadcast \(condition), \(x) and \(y)")
        }
        let layout = StridedLayout(shape: shape, strides: [
            StridedLayout.rowMajorStrides(shape),
            StridedLayout.broadcastStrides(of: condition.shape, to: shape),
            StridedLayout.broadcastStrides(of: x.shape, to: shape),
            StridedLayout.broadcastStrides(of: y.shape, to: shape),
        ])
        return PreparedKernel(kernel: WhereKernel(layout: layout, elementSize: x.dtype.byteSize),
                              outputTypes: [ValueType(x.dtype, shape)])
    }

    func run(_ io: KernelIO) {
        let condition = io.input(0).assumingMemoryBound(to: Bool.self)
        let x = io.input(1), y = io.input(2), output = io.output(0)
        let strides = layout.rowStrides, size = elementSize
        layout.forEachSpan(in: 0..<layout.elementCount) { outputOffset, offsets, count in
            for index in 0..<count {
                let chosen = condition[offsets[1] + index * strides[1]]
                    ? x + (offsets[2] + index * strides[2]) * size
                    : y + (offsets[3] + index * strides[3]) * size
                (output + (outputOffset + index) * size).copyMemory(from: chosen, byteCount: size)
            }
        }
    }
}
