import Testing
import ZooGraph
import ZooTensor

/// Shape inference of the reductions family: symbolic dims pass through, keepdims and
/// noop_with_empty_axes shape the output, and bad axes or k are errors naming the node.
@Suite struct ReductionShapeTests {
    private func output(_ op: Op, _ dims: [Dim], dtype: DType = .float32, k: Int? = nil, axis: Int? = nil) throws -> [TensorType] {
        var builder = GraphBuilder(name: "reduce")
        var inputs: [GraphBuilder.Value?] = [try builder.input("x", TensorType(dtype, dims))]
        if let k { inputs.append(try builder.parameter("k", try Tensor(shape: [1], scalars: [Int64(k)]))) }
        if let axis { inputs.append(try builder.parameter("axis", Tensor(scalar: Int64(axis)))) }
        let outputCount = op.outputArity.upperBound
        return try builder.add(op, inputs, name: "node", outputCount: outputCount).map(\.type)
    }

    @Test func reduceKeepsSymbolicDims() throws {
        let dims: [Dim] = ["batch", 8, "sequence"]
        #expect(try output(.reduce(.sum, ReduceAttributes(axes: [1], keepDims: false)), dims) == [TensorType(.float32, ["batch", "sequence"])])
        #expect(try output(.reduce(.l2, ReduceAttributes(axes: [-1])), dims) == [TensorType(.float32, ["batch", 8, 1])])
        #expect(try output(.reduce(.logSumExp, ReduceAttributes(keepDims: false)), dims) == [TensorType(.float32, [])])
        // An empty list reduces nothing (noop_with_empty_axes).
        #expect(try output(.reduce(.sumSquare, ReduceAttributes(axes: [], keepDims: false)), dims) == [TensorType(.float32, dims)])
        #expect(try output(.reduce(.max, ReduceAttributes(axes: [0])), dims, dtype: .int32) == [TensorType(.int32, [1, 8, "sequence"])])
    }

    @Test func indexOpsGiveInt64() throws {
        let dims: [Dim] = ["batch", 5, 7]
        #expect(try output(.argReduce(ArgReduceAttributes(selectsMaximum: true, axis: 1, keepDims: false)), dims)
                == [TensorType(.int64, ["batch", 7])])
        #expect(try output(.topK(TopKAttributes(axis: -1)), dims, k: 3)
                == [TensorType(.float32, ["batch", 5, 3]), TensorType(.int64, ["batch", 5, 3])])
        #expect(try output(.cumulative(CumulativeAttributes(.product)), dims, axis: 0) == [TensorType(.float32, dims)])
        #expect(try output(.hardmax(axis: 0), dims) == [TensorType(.float32, dims)])
    }

    @Test func badAxesAndKNameTheNode() throws {
        #expect(throws: GraphError.attribute(node: "node", op: "ReduceProd", name: "axes",
                                             message: "is -9223372036854775808, outside the valid range [-2, 1] for rank 2")) {
            try output(.reduce(.product, ReduceAttributes(axes: [Int.min])), [2, 3])
        }
        #expect(throws: GraphError.shape(node: "node", op: "TopK", message: "k = 4 is more than the 3 elements of axis -1")) {
            try output(.topK(TopKAttributes()), [2, 3], k: 4)
        }
        #expect(throws: GraphError.shape(node: "node", op: "ArgMin", message: "axis 1 is empty: an empty set has no extremum")) {
            try output(.argReduce(ArgReduceAttributes(selectsMaximum: false, axis: 1)), [2, 0])
        }
        #expect(throws: GraphError.dtype(node: "node", op: "ReduceSum", input: "x", expected: "numeric", actual: .bool)) {
            try output(.reduce(.sum, ReduceAttributes()), [2], dtype: .bool)
        }
    }

    /// A Reduce* with its axes as input 1: a constant (or a vector whose dims are known)
    /// reads as the attribute; axes known only at run time give fresh dims.
    private func reducedWithAxesInput(_ attributes: ReduceAttributes, _ dims: [Dim], axes: Tensor? = nil,
                                      axesLength: Dim = 2) throws -> TensorType {
        var builder = GraphBuilder(name: "reduce")
        let x = try builder.input("x", TensorType(.float32, dims))
        let axesValue = try axes.map { tensor throws(GraphError) in try builder.parameter("axes", tensor) }
            ?? builder.input("axes", TensorType(.int64, [axesLength]))
        return try builder.add(.reduce(.sum, attributes), [x, axesValue], name: "node", outputCount: 1)[0].type
    }

    @Test func axesInputKnownOrAtRunTime() throws {
        let dims: [Dim] = ["batch", 8, 1, 5]
        let constantAxes = try Tensor(shape: [2], scalars: [Int64(-1), 1])
        #expect(try reducedWithAxesInput(ReduceAttributes(keepDims: false), dims, axes: constantAxes) == TensorType(.float32, ["batch", 1]))
        let noAxes = try Tensor(shape: [0], scalars: [Int64]())
        #expect(try reducedWithAxesInput(ReduceAttributes(keepDims: false), dims, axes: noAxes) == TensorType(.float32, []))
        #expect(try reducedWithAxesInput(ReduceAttributes(keepDims: false, noopWithEmptyAxes: true), dims, axes: noAxes)
                == TensorType(.float32, dims))
        // Run time: keepdims keeps the rank (a dim of 1 stays 1); without, the rank drops by the axes' count.
        #expect(try reducedWithAxesInput(ReduceAttributes(), dims) == TensorType(.float32, ["node:0", "node:1", 1, "node:3"]))
        #expect(try reducedWithAxesInput(ReduceAttributes(keepDims: false), dims) == TensorType(.float32, ["node:0", "node:1"]))
        #expect(try reducedWithAxesInput(ReduceAttributes(keepDims: false), dims, axesLength: 0) == TensorType(.float32, []))
        #expect(try reducedWithAxesInput(ReduceAttributes(keepDims: false, noopWithEmptyAxes: true), dims, axesLength: 0)
                == TensorType(.float32, dims))
    }

    @Test func badAxesInputsNameTheNode() throws {
        #expect(throws: GraphError.shape(node: "node", op: "ReduceSum", message: "axes [1, -2] name axis -2 more than once")) {
            try reducedWithAxesInput(ReduceAttributes(), [2, 3, 4], axes: try Tensor(shape: [2], scalars: [Int64(1), -2]))
        }
        #expect(throws: GraphError.shape(node: "node", op: "ReduceSum", message: "axes [0, 0] name axis 0 more than once")) {
            try output(.reduce(.sum, ReduceAttributes(axes: [0, 0])), [2, 3])
        }
        #expect(throws: GraphError.nonConstantInput(node: "node", op: "ReduceSum", input: "axes",
                                                    role: "axes of a length not known statically with keepdims=0 (not supported)")) {
            try reducedWithAxesInput(ReduceAttributes(keepDims: false), [2, 3], axesLength: "count")
        }
        #expect(throws: GraphError.shape(node: "node", op: "ReduceSum", message: "axes 'axes' has 3 values, more than the input's rank 2")) {
            try reducedWithAxesInput(ReduceAttributes(keepDims: false), [2, 3], axesLength: 3)
        }
        #expect(throws: GraphError.shape(node: "node", op: "ReduceSum", message: "axes are given both as an attribute and as input 'axes'")) {
            try reducedWithAxesInput(ReduceAttributes(axes: [0]), [2, 3])
        }
    }
}
