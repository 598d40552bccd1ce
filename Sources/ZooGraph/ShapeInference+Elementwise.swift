import ZooTensor

// The elementwise family: each member's dtypes come from its table
// (ElementwiseOperations.swift); binary and variadic members broadcast as numpy does.
extension NodeContext {
    func inferElementwiseFamily() throws(GraphError) -> Output {
        switch node.op {
        case .unary(let function):
            let input = try type(0, dtypeIn: function.inputDTypes, described: Self.describe(function.inputDTypes))
            return Output(type: TensorType(function.resultIsBool ? .bool : input.dtype, input.dims))
        case .binary(let operation):
            let left = try type(0, dtypeIn: operation.inputDTypes, described: Self.describe(operation.inputDTypes))
            try requireSameDType(1, as: 0)
            let dims = try broadcast(left.dims, try type(1).dims)
            // PRelu's slope broadcasts one way: to X's shape, which the output keeps.
            if case .prelu = operation, dims.count != left.rank || zip(dims, left.dims).contains(where: { $0.value != nil && $1.value != nil && $0 != $1 }) {
                throw fail("slope \(try type(1)) does not broadcast to X \(left)")
            }
            return Output(type: TensorType(operation.resultIsBool ? .bool : left.dtype, dims))
        case .variadic(let operation):
            let first = try type(0, dtypeIn: operation.inputDTypes, described: Self.describe(operation.inputDTypes))
            var dims = first.dims
            for index in node.inputs.indices.dropFirst() {
                try requireSameDType(index, as: 0)
                dims = try broadcast(dims, try type(index).dims)
            }
            return Output(type: TensorType(first.dtype, dims))
        case .castLike:
            return Output(type: TensorType(try type(1).dtype, try type(0).dims))
        default:
            throw fail("is not an elementwise-family op")
        }
    }

    /// "one of float32, float16, …" in DType's declaration order.
    static func describe(_ dtypes: Set<DType>) -> String {
        "one of " + DType.allCases.filter(dtypes.contains).map(\.rawValue).joined(separator: ", ")
    }
}
