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
}
