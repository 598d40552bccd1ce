import ZooTensor

// NonZero, Unique, Compress and NonMaxSuppression (SelectionOp): how many elements, slices or
// boxes they keep depends on input values, so that size is a fresh symbol named after the
// node (`node:0`), shared by the outputs it sizes. Compress's count is exact when its
// condition is a constant. The executor learns each count when the values are known.
extension NodeContext {
    func inferSelection(_ op: SelectionOp) throws(GraphError) -> [Output] {
        switch op {
        case .nonZero:
            // A scalar counts as one axis, as onnxruntime reads it.
            [Output(type: TensorType(.int64, [.fixed(max(try type(0).rank, 1)), freshDim(0)]))]
        case .unique(let attributes): try inferUnique(attributes)
        case .compress(let axis): [try inferCompress(axis: axis)]
        case .nonMaxSuppression: [try inferNonMaxSuppression()]
        }
    }

    /// Y (the unique elements or slices), then int64 indices of their first occurrences,
    /// inverse_indices (one per input element or slice) and counts.
    private func inferUnique(_ attributes: UniqueAttributes) throws(GraphError) -> [Output] {
        let input = try type(0)
        let count = freshDim(0)
        var values = [count], inverseLength: Dim
        if let axis = attributes.axis {
            guard input.rank >= 1 else { throw fail("input '\(node.inputs[0])' must have an axis, got a scalar") }
            let resolved = try self.axis(axis, rank: input.rank)
            values = input.dims
            values[resolved] = count
            inverseLength = input.dims[resolved]
        } else {
            inverseLength = try product(input.dims).dim
        }
        return [Output(type: TensorType(input.dtype, values)), Output(type: TensorType(.int64, [count])),
                Output(type: TensorType(.int64, [inverseLength])), Output(type: TensorType(.int64, [count]))]
    }

    private func inferCompress(axis: Int?) throws(GraphError) -> Output {
        let input = try type(0)
        let condition = try type(1, dtypeIn: [.bool], described: "a bool tensor")
        guard condition.rank == 1 else { throw fail("condition '\(node.inputs[1])' must be 1-D, got \(condition)") }
        var dims = [freshDim(0)], length = try product(input.dims).dim
        if let axis {
            let resolved = try self.axis(axis, rank: input.rank)
            length = input.dims[resolved]
            dims = input.dims
            dims[resolved] = freshDim(0)
        }
        if let conditionLength = condition.dims[0].value, let available = length.value, conditionLength > available {
            throw fail("condition '\(node.inputs[1])' has \(conditionLength) values, more than the \(available) \(axis == nil ? "elements" : "slices") it selects from")
        }
        if let values = constants[1]?.integerValues {
            dims[axis.map { $0 < 0 ? $0 + input.rank : $0 } ?? 0] = .fixed(values.count { $0 != 0 })
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    private func inferNonMaxSuppression() throws(GraphError) -> Output {
        let boxes = try type(0, dtypeIn: [.float32], described: "float32")
        let scores = try type(1, dtypeIn: [.float32], described: "float32")
        guard boxes.rank == 3, boxes.dims[2] == .fixed(4) || boxes.dims[2].value == nil, scores.rank == 3 else {
            throw fail("boxes '\(node.inputs[0])' must be [batches, boxes, 4] and scores '\(node.inputs[1])' [batches, classes, boxes], got \(boxes) and \(scores)")
        }
        for (first, second, what) in [(boxes.dims[0], scores.dims[0], "batches"), (boxes.dims[1], scores.dims[2], "boxes")]
        where first != second && first.value != nil && second.value != nil {
            throw fail("boxes \(boxes) and scores \(scores) differ in their number of \(what)")
        }
        for (index, dtype) in [(2, DType.int64), (3, .float32), (4, .float32)] where optionalType(index) != nil {
            let found = try type(index, dtypeIn: [dtype], described: "a \(dtype) scalar")
            guard found.rank == 0 || found.dims == [.fixed(1)] else {
                throw fail("input '\(node.inputs[index])' must be a scalar, got \(found)")
            }
        }
        return Output(type: TensorType(.int64, [freshDim(0), .fixed(3)]))
    }
}
