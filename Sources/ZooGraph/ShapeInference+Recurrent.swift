import ZooTensor

extension NodeContext {
    /// LSTM outputs: Y `[seq, dirs, batch, hidden]`, Y_h and Y_c `[dirs, batch, hidden]`
    /// (layout 0), or batch-first equivalents (layout 1).
    func inferLSTM(_ attributes: LSTMAttributes) throws(GraphError) -> [Output] {
        let input = try requireRank(0, 3...3, role: "X")
        _ = try floatType(0)
        let hidden = attributes.hiddenSize
        guard hidden >= 1 else { throw badAttribute("hidden_size", "is \(hidden), must be at least 1") }
        guard attributes.layout == 0 || attributes.layout == 1 else {
            throw badAttribute("layout", "is \(attributes.layout), must be 0 or 1")
        }
        // The widest parameter, B, holds 8 × hidden values per direction.
        _ = try checked("hidden_size \(hidden) × 8 (the bias width)") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(hidden, 8)
        }
        let directions = attributes.direction.count
        let (sequence, batch) = attributes.layout == 0 ? (input.dims[0], input.dims[1]) : (input.dims[1], input.dims[0])
        let expected: [(index: Int, role: String, dims: [Dim])] = [
            (1, "W", [.fixed(directions), .fixed(4 * hidden), input.dims[2]]),
            (2, "R", [.fixed(directions), .fixed(4 * hidden), .fixed(hidden)]),
            (3, "B", [.fixed(directions), .fixed(8 * hidden)]),
            (7, "P", [.fixed(directions), .fixed(3 * hidden)]),
        ]
        for (index, role, dims) in expected where optionalType(index) != nil {
            let found = try type(index)
            try requireSameDType(index, as: 0)
            let matches = found.rank == dims.count && zip(found.dims, dims).allSatisfy { pair in
                guard let a = pair.0.value, let b = pair.1.value else { return true }
                return a == b
            }
            guard matches else {
                throw fail("\(role) '\(node.inputs[index])' must be \(TensorType(input.dtype, dims)), got \(found)")
            }
        }
        let state: [Dim] = attributes.layout == 0 ? [.fixed(directions), batch, .fixed(hidden)]
                                                  : [batch, .fixed(directions), .fixed(hidden)]
        let sequenceOutput: [Dim] = attributes.layout == 0 ? [sequence, .fixed(directions), batch, .fixed(hidden)]
                                                           : [batch, sequence, .fixed(directions), .fixed(hidden)]
        return [sequenceOutput, state, state].map { Output(type: TensorType(input.dtype, $0)) }
    }
}
