import ZooTensor

// Data movement and indexing (MovementOp). An operand that sizes the output (pads, repeats,
// split sizes, depth) gives exact sizes when it is a constant or dims followed through shape
// arithmetic, and a size computed from a symbol is a fresh symbol unless the operand leaves
// the axis unchanged. An operand computed in a way not followed here gives fresh symbols:
// the executor folds it once shapes are known, and refuses it, naming it, if it is a value
// known only at run time.
extension NodeContext {
    func inferMovement(_ op: MovementOp) throws(GraphError) -> [Output] {
        switch op {
        case .pad(let mode): [try inferPad(mode)]
        case .split(let axis, let numOutputs): try inferSplit(axis: axis, numOutputs: numOutputs)
        case .tile: [try inferTile()]
        case .depthToSpace(let blockSize, _): [try inferBlockRearrangement(blockSize: blockSize, toSpace: true)]
        case .spaceToDepth(let blockSize, _): [try inferBlockRearrangement(blockSize: blockSize, toSpace: false)]
        case .gatherElements(let axis): [try inferGatherElements(axis: axis)]
        case .scatterElements(let axis, _): [try inferScatterElements(axis: axis)]
        case .scatterND: [try inferScatterND()]
        case .oneHot(let axis): [try inferOneHot(axis: axis)]
        case .trilu: [try inferTrilu()]
        case .eyeLike(let dtype, _): [try inferEyeLike(dtype: dtype)]
        case .reverseSequence(let batchAxis, let timeAxis): [try inferReverseSequence(batchAxis: batchAxis, timeAxis: timeAxis)]
        case .size: [try inferSize()]
        }
    }

    /// Values of a sizing operand (pads, repeats, split sizes): constants, or dims followed
    /// through shape arithmetic; nil when not known here.
    private func sizingDims(_ index: Int) throws(GraphError) -> [Dim]? {
        _ = try integerType(index)
        return knownDims(index)
    }

    /// Distinct resolved axes from a constant input; nil when the input is absent.
    private func distinctAxes(_ index: Int, rank: Int) throws(GraphError) -> [Int]? {
        guard let requested = try constantIntegers(index, role: "axes") else { return nil }
        var resolved: [Int] = []
        for axis in requested {
            let position = try self.axis(axis, rank: rank, attribute: "axes")
            guard !resolved.contains(position) else { throw fail("axes \(requested) name axis \(position) twice") }
            resolved.append(position)
        }
        return resolved
    }

    func inferPad(_ mode: PadMode) throws(GraphError) -> Output {
        let data = try type(0)
        if case .runTime = try integerInput(3) { return freshType(data.dtype, rank: data.rank) }
        let axes = try distinctAxes(3, rank: data.rank) ?? Array(0..<data.rank)
        guard let pads = try sizingDims(1) else {
            var dims = data.dims
            for axis in axes { dims[axis] = freshDim(axis) }
            return Output(type: TensorType(data.dtype, dims))
        }
        guard pads.count == 2 * axes.count else {
            throw fail("pads has \(pads.count) values; \(axes.count) padded axes need \(2 * axes.count) (begins, then ends)")
        }
        if optionalType(2) != nil {
            try requireSameDType(2, as: 0)
            guard try product(try type(2).dims).factor <= 1 else {
                throw fail("constant_value '\(node.inputs[2])' must hold one value, got \(try type(2))")
            }
        }
        var dims = data.dims
        for (position, axis) in axes.enumerated() {
            dims[axis] = try paddedDim(data.dims[axis], begin: pads[position], end: pads[position + axes.count], mode: mode, axis: axis)
        }
        return Output(type: TensorType(data.dtype, dims))
    }

    private func paddedDim(_ size: Dim, begin: Dim, end: Dim, mode: PadMode, axis: Int) throws(GraphError) -> Dim {
        if begin == .fixed(0), end == .fixed(0) { return size }
        guard let first = begin.value, let last = end.value, let length = size.value else { return freshDim(axis) }
        do { return .fixed(try PaddedAxis(inputLength: length, begin: first, end: last, mode: mode).length) } catch {
            throw fail("axis \(axis): \(error)")
        }
    }

    func inferSplit(axis: Int, numOutputs: Int?) throws(GraphError) -> [Output] {
        let input = try type(0)
        let resolved = try self.axis(axis, rank: input.rank)
        let count = node.outputs.count
        let size = input.dims[resolved]
        let sizes: [Dim]
        let freshSizes = (0..<count).map { Dim.symbolic("\(node.name):split\($0)") }
        if node.input(1) != nil {
            guard let requested = try sizingDims(1) else { return outputs(freshSizes) }
            guard requested.count == count else {
                throw fail("split has \(requested.count) sizes for \(count) outputs")
            }
            let fixed = requested.compactMap(\.value)
            guard fixed.allSatisfy({ $0 >= 0 }) else { throw fail("split \(requested) has a negative size") }
            let total = try checked("split") { () throws(ArithmeticOverflow) in try CheckedArithmetic.sum(fixed) }
            if let length = size.value, fixed.count == count, length != total {
                throw fail("split \(fixed) sums to \(total), but axis \(resolved) of \(input) has \(length)")
            }
            sizes = requested
        } else {
            // Without num_outputs (before opset 18) the outputs are the chunks.
            if let numOutputs, numOutputs != count {
                throw badAttribute("num_outputs", "is \(numOutputs), but the node has \(count) outputs")
            }
            if count == 1 {
                sizes = [size]
            } else if let length = size.value {
                guard let chunks = MovementOp.chunkSizes(length: length, count: count) else {
                    throw fail("axis \(resolved) of \(input) cannot be split into \(count) chunks of equal size but the last")
                }
                sizes = chunks.map(Dim.fixed)
            } else {
                sizes = freshSizes
            }
        }
        return outputs(sizes)

        func outputs(_ sizes: [Dim]) -> [Output] {
            sizes.map { part in
                var dims = input.dims
                dims[resolved] = part
                return Output(type: TensorType(input.dtype, dims))
            }
        }
    }

    func inferTile() throws(GraphError) -> Output {
        let input = try type(0)
        guard let repeats = try sizingDims(1) else {
            return Output(type: TensorType(input.dtype, input.dims.indices.map(freshDim)))
        }
        guard repeats.count == input.rank else {
            throw fail("repeats has \(repeats.count) values for the \(input.rank) axes of \(input)")
        }
        var dims = input.dims
        for axis in dims.indices {
            switch (input.dims[axis], repeats[axis]) {
            case (_, .fixed(let count)) where count < 0: throw fail("repeats \(repeats) has a negative count")
            case (_, .fixed(1)): break
            case (_, .fixed(0)): dims[axis] = .fixed(0)
            case (.fixed(let length), .fixed(let count)):
                dims[axis] = .fixed(try checked("the tiled length of axis \(axis)") { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.multiply(length, count)
                })
            default: dims[axis] = freshDim(axis)
            }
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    /// DepthToSpace (`toSpace`) and SpaceToDepth on `[N, C, H, W]`.
    func inferBlockRearrangement(blockSize: Int, toSpace: Bool) throws(GraphError) -> Output {
        let input = try requireRank(0, 4...4, role: "input")
        guard blockSize >= 1 else { throw badAttribute("blocksize", "is \(blockSize), but must be at least 1") }
        let area = try checked("blocksize²") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(blockSize, blockSize) }
        func scaled(_ dim: Dim, _ factor: Int, axis: Int) throws(GraphError) -> Dim {
            guard factor != 1 else { return dim }
            guard let length = dim.value else { return freshDim(axis) }
            return .fixed(try checked("axis \(axis) × \(factor)") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(length, factor) })
        }
        func divided(_ dim: Dim, _ divisor: Int, axis: Int) throws(GraphError) -> Dim {
            guard divisor != 1 else { return dim }
            guard let length = dim.value else { return freshDim(axis) }
            guard length % divisor == 0 else { throw fail("axis \(axis) of \(input) is not a multiple of \(divisor)") }
            return .fixed(length / divisor)
        }
        let dims = input.dims
        if toSpace {
            return Output(type: TensorType(input.dtype, [dims[0], try divided(dims[1], area, axis: 1),
                                                         try scaled(dims[2], blockSize, axis: 2), try scaled(dims[3], blockSize, axis: 3)]))
        }
        return Output(type: TensorType(input.dtype, [dims[0], try scaled(dims[1], area, axis: 1),
                                                     try divided(dims[2], blockSize, axis: 2), try divided(dims[3], blockSize, axis: 3)]))
    }

    /// Indices of GatherElements and ScatterElements: an integer tensor of data's rank, no
    /// longer than data on the axes it does not index.
    private func elementIndices(axis: Int) throws(GraphError) -> (data: TensorType, indices: TensorType, axis: Int) {
        let data = try requireRank(0, 1...Int.max, role: "data")
        let indices = try integerType(1)
        let resolved = try self.axis(axis, rank: data.rank)
        guard indices.rank == data.rank else { throw fail("indices \(indices) must have the rank of data \(data)") }
        for position in data.dims.indices where position != resolved {
            if let length = indices.dims[position].value, let limit = data.dims[position].value, length > limit {
                throw fail("indices \(indices) are longer than data \(data) on axis \(position)")
            }
        }
        return (data, indices, resolved)
    }

    func inferGatherElements(axis: Int) throws(GraphError) -> Output {
        let (data, indices, _) = try elementIndices(axis: axis)
        return Output(type: TensorType(data.dtype, indices.dims))
    }

    func inferScatterElements(axis: Int) throws(GraphError) -> Output {
        let (data, indices, _) = try elementIndices(axis: axis)
        try requireUpdates(shaped: indices.dims)
        return Output(type: data)
    }

    func inferScatterND() throws(GraphError) -> Output {
        let data = try requireRank(0, 1...Int.max, role: "data")
        let indices = try requireRank(1, 1...Int.max, role: "indices")
        _ = try type(1, dtypeIn: [.int64], described: "int64")
        guard let depth = indices.dims[indices.rank - 1].value else {
            throw fail("the last axis of indices \(indices) must have a fixed size: it says how many axes each index addresses")
        }
        guard (1...data.rank).contains(depth) else { throw fail("indices \(indices) address \(depth) axes of data \(data)") }
        try requireUpdates(shaped: Array(indices.dims.dropLast()) + Array(data.dims[depth...]))
        return Output(type: data)
    }

    /// Scatter updates: data's dtype, of `dims` where both are fixed.
    private func requireUpdates(shaped dims: [Dim]) throws(GraphError) {
        try requireSameDType(2, as: 0)
        let updates = try type(2)
        guard updates.rank == dims.count,
              zip(updates.dims, dims).allSatisfy({ $0.value == nil || $1.value == nil || $0 == $1 }) else {
            throw fail("updates \(updates) must have the shape \(dims)")
        }
    }

    func inferOneHot(axis: Int) throws(GraphError) -> Output {
        let indices = try type(0)
        guard indices.dtype != .bool else {
            throw .dtype(node: node.name, op: opName, input: node.inputs[0], expected: "a number", actual: .bool)
        }
        let values = try type(2)
        guard values.rank == 1, values.dims[0].value ?? 2 == 2 else { throw fail("values \(values) must be [off, on]") }
        guard try type(1).dtype != .bool else {
            throw .dtype(node: node.name, op: opName, input: node.inputs[1], expected: "a number", actual: .bool)
        }
        let position = try self.axis(axis, rank: indices.rank + 1)
        var depth = freshDim(position)
        if let depthTensor = constants[1] {
            guard let value = MovementOp.oneHotDepth(depthTensor) else {
                throw fail("depth must be one positive integer, got \(depthTensor.dtype)\(depthTensor.shape) \(depthTensor.doubleValues.prefix(4))")
            }
            depth = .fixed(value)
        }
        var dims = indices.dims
        dims.insert(depth, at: position)
        return Output(type: TensorType(values.dtype, dims))
    }

    func inferTrilu() throws(GraphError) -> Output {
        let input = try requireRank(0, 2...Int.max, role: "input")
        if optionalType(1) != nil {
            let k = try type(1, dtypeIn: [.int64], described: "int64")
            guard try product(k.dims).factor == 1 else { throw fail("k '\(node.inputs[1])' must hold one value, got \(k)") }
        }
        return Output(type: input)
    }

    func inferEyeLike(dtype: DType?) throws(GraphError) -> Output {
        let input = try requireRank(0, 2...2, role: "input")
        return Output(type: TensorType(dtype ?? input.dtype, input.dims))
    }

    func inferReverseSequence(batchAxis: Int, timeAxis: Int) throws(GraphError) -> Output {
        let input = try requireRank(0, 2...Int.max, role: "input")
        guard [batchAxis, timeAxis].sorted() == [0, 1] else {
            throw fail("batch_axis \(batchAxis) and time_axis \(timeAxis) must be 0 and 1, one each")
        }
        let lengths = try requireRank(1, 1...1, role: "sequence_lens")
        _ = try type(1, dtypeIn: [.int64], described: "int64")
        if let count = lengths.dims[0].value, let batch = input.dims[batchAxis].value, count != batch {
            throw fail("sequence_lens \(lengths) must have one length per batch entry (\(batch))")
        }
        return Output(type: input)
    }

    func inferSize() throws(GraphError) -> Output {
        let input = try type(0)
        let type = TensorType(.int64, [])
        guard let shape = input.staticShape else { return Output(type: type) }
        let count = try product(shape.map(Dim.fixed)).factor
        return Output(type: type, constant: Tensor(scalar: Int64(count)))
    }
}
