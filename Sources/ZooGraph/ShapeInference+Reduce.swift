import ZooTensor

extension NodeContext {
    /// The dtypes the reductions, ArgMax/ArgMin, CumSum/CumProd and TopK take: every number;
    /// ReduceMax and ReduceMin bool too.
    private func numericType(_ index: Int, orBool: Bool = false) throws(GraphError) -> TensorType {
        let numeric = Set(DType.allCases.filter { $0.isFloatingPoint || $0.isInteger })
        return orBool ? try type(index, dtypeIn: numeric.union([.bool]), described: "numeric or bool")
            : try type(index, dtypeIn: numeric, described: "numeric")
    }

    /// Reduce*: the input's dims with the reduced axes kept as 1 (keepdims) or dropped.
    /// Axes nil reduce every axis; an empty list none (the output is the input's shape).
    /// An axes input whose values are known (a constant, or dims known statically) is read
    /// as the attribute; one known only at run time gives fresh dims (`reducedAtRunTime`).
    func inferReduce(_ operation: ReduceOperation, _ attributes: ReduceAttributes) throws(GraphError) -> Output {
        // Bool maxima and minima (any, all) from opset 20.
        let input = try numericType(0, orBool: operation == .max || operation == .min)
        guard node.inputs.count > 1, !node.inputs[1].isEmpty else {
            guard !attributes.noopWithEmptyAxes else { throw badAttribute("noop_with_empty_axes", "is set without an axes input") }
            return Output(type: TensorType(input.dtype, try reducedDims(input, axes: attributes.axes, keepDims: attributes.keepDims)))
        }
        guard attributes.axes == nil else { throw fail("axes are given both as an attribute and as input '\(node.inputs[1])'") }
        let axesType = try type(1, dtypeIn: [.int64], described: "int64")
        guard axesType.rank == 1 else { throw fail("axes '\(node.inputs[1])' must be a vector, got \(axesType)") }
        if let known = knownDims(1), case let values = known.compactMap(\.value), values.count == known.count {
            let requested = attributes.requestedAxes(axesInput: values)
            return Output(type: TensorType(input.dtype, try reducedDims(input, axes: requested, keepDims: attributes.keepDims)))
        }
        return Output(type: TensorType(input.dtype, try reducedAtRunTime(input, axesType: axesType, attributes)))
    }

    /// The input's dims less the reduced ones; each axis may appear once.
    private func reducedDims(_ input: TensorType, axes requested: [Int]?, keepDims: Bool) throws(GraphError) -> [Dim] {
        var axes = Set<Int>(0..<input.rank)
        if let requested {
            axes = []
            for axis in requested {
                guard axes.insert(try self.axis(axis, rank: input.rank, attribute: "axes")).inserted else {
                    throw fail("axes \(requested) name axis \(axis) more than once")
                }
            }
        }
        return input.dims.indices.compactMap { position in
            guard axes.contains(position) else { return input.dims[position] }
            return keepDims ? .fixed(1) : nil
        }
    }

    /// Dims for axes known only at run time. With keepdims the rank stays, and a dim is
    /// either its input size or 1: fresh unless it is 1 already. Without, the rank drops by
    /// the axes' count (every axis for an empty list, none with noop_with_empty_axes), which
    /// must then be static; the dims left are fresh.
    private func reducedAtRunTime(_ input: TensorType, axesType: TensorType, _ attributes: ReduceAttributes) throws(GraphError) -> [Dim] {
        if attributes.keepDims {
            return input.dims.indices.map { input.dims[$0] == .fixed(1) ? .fixed(1) : freshDim($0) }
        }
        guard let count = axesType.dims[0].value else {
            throw .nonConstantInput(node: node.name, op: opName, input: node.inputs[1],
                                    role: "axes of a length not known statically with keepdims=0 (not supported)")
        }
        if count == 0 { return attributes.noopWithEmptyAxes ? input.dims : [] }
        guard count <= input.rank else {
            throw fail("axes '\(node.inputs[1])' has \(count) values, more than the input's rank \(input.rank)")
        }
        return (0..<(input.rank - count)).map(freshDim)
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
