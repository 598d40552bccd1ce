import ZooTensor

extension NodeContext {
    /// LSTM, GRU and RNN outputs: Y `[seq, dirs, batch, hidden]`, Y_h (and LSTM's Y_c)
    /// `[dirs, batch, hidden]` (layout 0), or batch-first equivalents (layout 1). Sequence
    /// and batch stay symbolic; W, R, B, P and the initial states must fit them.
    func inferRecurrent(_ attributes: RecurrentAttributes) throws(GraphError) -> [Output] {
        if case .recurrent = node.op, attributes.cell.isLSTM { throw fail("an LSTM is the op `lstm`, not `recurrent`") }
        let input = try requireRank(0, 3...3, role: "X")
        _ = try floatType(0)
        try validate(attributes)
        let (hidden, gates, directions) = (attributes.hiddenSize, attributes.cell.gateCount, attributes.direction.count)
        let (sequence, batch) = attributes.layout == 0 ? (input.dims[0], input.dims[1]) : (input.dims[1], input.dims[0])
        let state: [Dim] = attributes.layout == 0 ? [.fixed(directions), batch, .fixed(hidden)]
                                                  : [batch, .fixed(directions), .fixed(hidden)]
        var expected: [(index: Int, role: String, dims: [Dim])] = [
            (1, "W", [.fixed(directions), .fixed(gates * hidden), input.dims[2]]),
            (2, "R", [.fixed(directions), .fixed(gates * hidden), .fixed(hidden)]),
            (3, "B", [.fixed(directions), .fixed(2 * gates * hidden)]),
            (5, "initial_h", state),
        ]
        if attributes.cell.isLSTM { expected += [(6, "initial_c", state), (7, "P", [.fixed(directions), .fixed(3 * hidden)])] }
        for (index, role, dims) in expected where optionalType(index) != nil {
            try requireSameDType(index, as: 0)
            try require(index, role: role, toFit: TensorType(input.dtype, dims))
        }
        if optionalType(4) != nil {
            _ = try type(4, dtypeIn: [.int32], described: "int32")
            try require(4, role: "sequence_lens", toFit: TensorType(.int32, [batch]))
        }
        let sequenceOutput: [Dim] = attributes.layout == 0 ? [sequence, .fixed(directions), batch, .fixed(hidden)]
                                                           : [batch, sequence, .fixed(directions), .fixed(hidden)]
        let outputs = attributes.cell.isLSTM ? [sequenceOutput, state, state] : [sequenceOutput, state]
        return outputs.map { Output(type: TensorType(input.dtype, $0)) }
    }

    /// The attributes' own bounds: a hidden size whose widest parameter (B, 2·gates·H per
    /// direction) has a size, a layout ONNX defines, a clip that bounds something, and one
    /// set of activations per direction.
    private func validate(_ attributes: RecurrentAttributes) throws(GraphError) {
        let hidden = attributes.hiddenSize
        guard hidden >= 1 else { throw badAttribute("hidden_size", "is \(hidden), must be at least 1") }
        guard attributes.layout == 0 || attributes.layout == 1 else {
            throw badAttribute("layout", "is \(attributes.layout), must be 0 or 1")
        }
        let width = 2 * attributes.cell.gateCount
        _ = try checked("hidden_size \(hidden) × \(width) (the bias width)") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(hidden, width)
        }
        if let clip = attributes.clip, !(clip >= 0) {
            throw badAttribute("clip", "is \(clip), must be a number at least 0")
        }
        let perDirection = attributes.cell.defaultActivations.count
        let expected = perDirection * attributes.direction.count
        guard attributes.activations.isEmpty || attributes.activations.count == expected else {
            throw badAttribute("activations", "has \(attributes.activations.count) functions, \(attributes.cell.onnxName) "
                               + "\(attributes.direction.rawValue) takes \(expected)")
        }
    }

    /// Input `index` has `expected`'s rank, and its known sizes equal the known sizes there.
    private func require(_ index: Int, role: String, toFit expected: TensorType) throws(GraphError) {
        let found = try type(index)
        let matches = found.rank == expected.rank && zip(found.dims, expected.dims).allSatisfy { pair in
            guard let a = pair.0.value, let b = pair.1.value else { return true }
            return a == b
        }
        guard matches else { throw fail("\(role) '\(node.inputs[index])' must be \(expected), got \(found)") }
    }
}
