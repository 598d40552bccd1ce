import ZooTensor

// Einsum, Det, LpNormalization, GlobalLpPool and BitCast (AlgebraOp).
extension NodeContext {
    func inferAlgebra(_ op: AlgebraOp) throws(GraphError) -> Output {
        switch op {
        case .einsum(let equation): return try inferEinsum(equation)
        case .det:
            let input = try requireRank(0, 2...Int.max, role: "input")
            _ = try floatType(0)
            let (rows, columns) = (input.dims[input.rank - 2], input.dims[input.rank - 1])
            guard rows == columns || rows.value == nil || columns.value == nil else {
                throw fail("input '\(node.inputs[0])' \(input) holds \(rows)×\(columns) matrices; Det needs square ones")
            }
            return Output(type: TensorType(input.dtype, Array(input.dims.dropLast(2))))
        case .lpNormalization(let axis, let p):
            let input = try floatType(0)
            _ = try self.axis(axis, rank: input.rank)
            guard p == 1 || p == 2 else { throw badAttribute("p", "is \(p); LpNormalization takes 1 or 2") }
            return Output(type: input)
        case .globalLpPool(let p):
            guard p >= 1 else { throw badAttribute("p", "is \(p), must be at least 1") }
            return try inferGlobalPool()
        case .bitCast(let target):
            let input = try type(0)
            guard input.dtype.byteSize == target.byteSize else {
                throw badAttribute("to", "is \(target) (\(target.byteSize) bytes); the input '\(node.inputs[0])' is \(input.dtype) (\(input.dtype.byteSize) bytes)")
            }
            guard target != .bool || input.dtype == .bool else {
                throw badAttribute("to", "bool: bytes of \(input.dtype) need not be 0 or 1, so they are not bools")
            }
            return Output(type: TensorType(target, input.dims))
        }
    }

    /// Each label's size, agreeing across operands; the ellipsis axes broadcast (numpy rules).
    private func inferEinsum(_ equation: EinsumEquation) throws(GraphError) -> Output {
        guard equation.operands.count == node.inputs.count else {
            throw badAttribute("equation", "'\(equation.text)' names \(equation.operands.count) operands; the node has \(node.inputs.count) inputs")
        }
        let first = try type(0, dtypeIn: [.float32, .float64, .float16, .bfloat16, .int32, .int64], described: "a floating-point, int32 or int64 tensor")
        var sizes: [Character: Dim] = [:]
        var ellipsis: [Dim] = []
        for (index, labels) in equation.operands.enumerated() {
            if index > 0 { try requireSameDType(index, as: 0) }
            let operand = try type(index)
            let letters = labels.filter { $0 != .ellipsis }.count
            let hasEllipsis = labels.contains(.ellipsis)
            guard hasEllipsis ? operand.rank >= letters : operand.rank == letters else {
                throw fail("operand \(index) '\(node.inputs[index])' \(operand) has rank \(operand.rank); '\(equation.text)' gives it \(letters) label\(letters == 1 ? "" : "s")\(hasEllipsis ? " and an ellipsis" : "")")
            }
            let ellipsisRank = operand.rank - letters
            var axis = 0
            for label in labels {
                switch label {
                case .ellipsis:
                    ellipsis = try broadcast(ellipsis, Array(operand.dims[axis..<axis + ellipsisRank]))
                    axis += ellipsisRank
                case .letter(let letter):
                    let size = operand.dims[axis]
                    if let known = sizes[letter], known != size {
                        throw fail("label '\(letter)' has size \(known) and \(size) (operand \(index) '\(node.inputs[index])' \(operand))")
                    }
                    sizes[letter] = size
                    axis += 1
                }
            }
        }
        var dims: [Dim] = []
        for label in equation.output {
            switch label {
            case .ellipsis: dims += ellipsis
            case .letter(let letter):
                guard let size = sizes[letter] else { throw badAttribute("equation", "output label '\(letter)' is in no operand") }
                dims.append(size)
            }
        }
        _ = try product(dims)
        return Output(type: TensorType(first.dtype, dims))
    }
}
