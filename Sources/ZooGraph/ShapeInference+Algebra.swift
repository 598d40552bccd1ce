import ZooTensor

// Matrix products, broadcasting element-wise ops and softmax.
extension NodeContext {
    /// Multidirectional (numpy) broadcasting of two shapes. When two different symbols
    /// meet, the left one is kept: both must be equal at run time for the op to be valid.
    func broadcast(_ left: [Dim], _ right: [Dim]) throws(GraphError) -> [Dim] {
        let rank = max(left.count, right.count)
        let left = Array(repeating: Dim.fixed(1), count: rank - left.count) + left
        let right = Array(repeating: Dim.fixed(1), count: rank - right.count) + right
        return try zip(left, right).map { (pair: (Dim, Dim)) throws(GraphError) -> Dim in
            switch (pair.0, pair.1) {
            case (.fixed(1), let other), (let other, .fixed(1)): return other
            case (.fixed(let a), .fixed(let b)):
                guard a == b else { throw fail("shapes \(left) and \(right) do not broadcast (\(a) vs \(b))") }
                return .fixed(a)
            case (.fixed(let size), .symbolic), (.symbolic, .fixed(let size)): return .fixed(size)
            case (.symbolic, .symbolic): return pair.0
            }
        }
    }

    func inferBinary(sameDType: Bool, boolean: Bool) throws(GraphError) -> Output {
        let left = try type(0)
        let right = try type(1)
        if sameDType { try requireSameDType(1, as: 0) }
        let dims = try broadcast(left.dims, right.dims)
        return Output(type: TensorType(boolean ? .bool : left.dtype, dims))
    }

    func inferLogicalAnd() throws(GraphError) -> Output {
        _ = try type(0, dtypeIn: [.bool], described: "bool")
        return try inferBinary(sameDType: true, boolean: true)
    }

    func inferWhere() throws(GraphError) -> Output {
        let condition = try type(0, dtypeIn: [.bool], described: "bool")
        let left = try type(1)
        let right = try type(2)
        try requireSameDType(2, as: 1)
        return Output(type: TensorType(left.dtype, try broadcast(condition.dims, try broadcast(left.dims, right.dims))))
    }

    func inferGemm(_ attributes: GemmAttributes) throws(GraphError) -> Output {
        let a = try requireRank(0, 2...2, role: "A")
        _ = try floatType(0)
        let b = try requireRank(1, 2...2, role: "B")
        try requireSameDType(1, as: 0)
        let (m, innerA) = attributes.transA ? (a.dims[1], a.dims[0]) : (a.dims[0], a.dims[1])
        let (innerB, n) = attributes.transB ? (b.dims[1], b.dims[0]) : (b.dims[0], b.dims[1])
        if let left = innerA.value, let right = innerB.value, left != right {
            throw fail("inner dimensions differ: A\(attributes.transA ? "ᵀ" : "") is \(m)×\(innerA), B\(attributes.transB ? "ᵀ" : "") is \(innerB)×\(n)")
        }
        if let c = optionalType(2) {
            try requireSameDType(2, as: 0)
            let broadcasted = try broadcast([m, n], c.dims)
            guard broadcasted.count == 2, c.rank <= 2 else { throw fail("C \(c) does not broadcast to [\(m), \(n)]") }
        }
        return Output(type: TensorType(a.dtype, [m, n]))
    }

    /// numpy matmul: 1-D operands are promoted and the promoted axis dropped afterwards;
    /// leading axes broadcast.
    func inferMatMul() throws(GraphError) -> Output {
        _ = try requireRank(0, 1...8, role: "A")
        let a = try type(0, dtypeIn: [.float32, .float16, .bfloat16, .float64, .int32, .int64], described: "numeric")
        _ = try requireRank(1, 1...8, role: "B")
        try requireSameDType(1, as: 0)
        return Output(type: TensorType(a.dtype, try matrixProductDims(a: 0, b: 1)))
    }

    /// numpy matmul's output dims for inputs `aIndex` × `bIndex`: shared by MatMul and the
    /// quantized products, whose operands sit at other positions.
    func matrixProductDims(a aIndex: Int, b bIndex: Int) throws(GraphError) -> [Dim] {
        let a = try requireRank(aIndex, 1...8, role: "A")
        let b = try requireRank(bIndex, 1...8, role: "B")
        let left = a.rank == 1 ? [Dim.fixed(1)] + a.dims : a.dims
        let right = b.rank == 1 ? b.dims + [Dim.fixed(1)] : b.dims
        let inner = (left[left.count - 1], right[right.count - 2])
        if let l = inner.0.value, let r = inner.1.value, l != r {
            throw fail("inner dimensions differ: \(a) × \(b) (\(l) vs \(r))")
        }
        var dims = try broadcast(Array(left.dropLast(2)), Array(right.dropLast(2)))
        if a.rank != 1 { dims.append(left[left.count - 2]) }
        if b.rank != 1 { dims.append(right[right.count - 1]) }
        return dims
    }

    func inferSoftmax(axis: Int) throws(GraphError) -> Output {
        let input = try floatType(0)
        _ = try self.axis(axis, rank: input.rank)
        return Output(type: input)
    }
}
