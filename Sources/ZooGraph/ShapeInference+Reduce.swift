import ZooTensor

extension NodeContext {
    /// The dtypes the reductions, ArgMax/ArgMin, CumSum/CumProd and TopK take: every number.
    private func numericType(_ index: Int) throws(GraphError) -> TensorType {
        let numeric = Set(DType.allCases.filter { $0.isFloatingPoint || $0.isInteger })
        return try type(index, dtypeIn: numeric, described: "numeric")
    }

    /// Reduce*: the input's dims with the reduced axes kept as 1 (keepdims) or dropped.
    /// Axes nil reduce every axis; an empty list none (the output is the input's shape).
    func inferReduce(_ operation: ReduceOperation, _ attributes: ReduceAttributes) throws(GraphError) -> Output {
        let input = try numericType(0)
        if case .runTime = try integerInput(1) {
            // Which axes go is known only at run time: kept as 1s or dropped, every size is fresh.
            let count = try runTimeCount(1, role: "axes")
            let dropped = count > 0 ? count : attributes.axes == [] ? 0 : input.rank
            return freshType(input.dtype, rank: attributes.keepDims ? input.rank : max(input.rank - dropped, 0))
        }
        var axes = Set<Int>(0..<input.rank)
        if let requested = attributes.axes {
            axes = []
            for axis in requested { axes.insert(try self.axis(axis, rank: input.rank, attribute: "axes")) }
        }
        let dims: [Dim] = input.dims.indices.compactMap { position in
            guard axes.contains(position) else { return input.dims[position] }
            return attributes.keepDims ? .fixed(1) : nil
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    /// ArgMax, ArgMin: int64 indices, the axis kept as 1 or dropped. The axis must not be
    /// empty: an empty set has no index.
    func inferArgReduce(_ attributes: ArgReduceAttributes) throws(GraphError) -> Output {
        let input = try numericType(0)
        let axis = try self.axis(attributes.axis, rank: input.rank)
        if input.rank > 0, input.dims[axis] == .fixed(0) { throw fail("axis \(attributes.axis) is empty: an empty set has no extremum") }
        var dims = input.dims
        if input.rank > 0 {
            if attributes.keepDims { dims[axis] = .fixed(1) } else { dims.remove(at: axis) }
        }
        return Output(type: TensorType(.int64, dims))
    }

    /// CumSum, CumProd: the input's type; the axis is a scalar int32 or int64 input, checked
    /// against the rank when it is a constant.
    func inferCumulative() throws(GraphError) -> Output {
        let input = try numericType(0)
        let axisType = try integerType(1)
        guard axisType.rank == 0 || axisType.dims == [.fixed(1)] else {
            throw fail("axis '\(node.inputs[1])' must be a scalar, got \(axisType)")
        }
        if let axis = constants[1]?.integerValues?.first { _ = try self.axis(axis, rank: input.rank) }
        return Output(type: input)
    }

    /// TopK: values (the input's dtype) and int64 indices, both the input's dims with k on
    /// the axis. k is a one-element int64 input at most the axis's size; a k known only at
    /// run time (or a symbolic one) sizes the axis as a fresh symbol.
    func inferTopK(_ attributes: TopKAttributes) throws(GraphError) -> [Output] {
        let input = try numericType(0)
        guard input.rank > 0 else { throw fail("input '\(node.inputs[0])' must have an axis, got a scalar") }
        let axis = try self.axis(attributes.axis, rank: input.rank)
        let kType = try type(1, dtypeIn: [.int64], described: "int64")
        guard kType.rank <= 1, kType.dims.allSatisfy({ $0 == .fixed(1) || $0.value == nil }) else {
            throw fail("k '\(node.inputs[1])' must hold one value, got \(kType)")
        }
        var dims = input.dims
        dims[axis] = freshDim(0)
        if let values = knownDims(1) {
            guard values.count == 1, let k = values.first, (k.value ?? 0) >= 0 else {
                throw fail("k must be one non-negative value, got \(values)")
            }
            if case .fixed(let size) = input.dims[axis], let value = k.value, value > size {
                throw fail("k = \(value) is more than the \(size) elements of axis \(attributes.axis)")
            }
            dims[axis] = k
        }
        return [Output(type: TensorType(input.dtype, dims)), Output(type: TensorType(.int64, dims))]
    }
}
