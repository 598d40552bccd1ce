import ZooTensor

// DFT, STFT and the window functions (SignalOp). Their sizing operands (dft_length,
// frame_step, frame_length, the window size) give exact sizes when constant; otherwise the
// sizes they decide are fresh symbols and the executor refuses the node, naming the operand
// (a size known only while the graph runs).
extension NodeContext {
    func inferSignal(_ op: SignalOp) throws(GraphError) -> Output {
        switch op {
        case .dft(let inverse, let onesided, let axis): return try inferDFT(inverse: inverse, onesided: onesided, axis: axis)
        case .stft(let onesided): return try inferSTFT(onesided: onesided)
        case .window(_, _, let dtype):
            guard dtype != .bool else { throw badAttribute("output_datatype", "is bool; a window holds numbers") }
            _ = try integerType(0)
            guard let size = try scalarSize(0, role: "size") else { return Output(type: TensorType(dtype, [freshDim(0)])) }
            return Output(type: TensorType(dtype, [.fixed(size)]))
        case .melWeightMatrix(let dtype): return try inferMelWeightMatrix(dtype: dtype)
        }
    }

    /// Sizes from num_mel_bins and dft_length: fixed when constant, fresh symbols otherwise.
    private func inferMelWeightMatrix(dtype: DType) throws(GraphError) -> Output {
        guard dtype != .bool else { throw badAttribute("output_datatype", "is bool; the matrix holds weights") }
        for index in 3...4 { _ = try floatType(index) }
        let bins = try scalarSize(0, role: "num_mel_bins", minimum: 1)
        let length = try scalarSize(1, role: "dft_length", minimum: 1)
        _ = try scalarSize(2, role: "sample_rate", minimum: 1)
        return Output(type: TensorType(dtype, [length.map { .fixed($0 / 2 + 1) } ?? freshDim(0), bins.map { .fixed($0) } ?? freshDim(1)]))
    }

    /// A scalar sizing operand (dft_length, frame_step, window size) when known here, which
    /// must be at least `minimum`; nil when absent or computed at run time.
    func scalarSize(_ index: Int, role: String, minimum: Int = 0) throws(GraphError) -> Int? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return nil }
        _ = try integerType(index)
        guard let values = knownDims(index) else { return nil }
        guard values.count == 1 else { throw fail("\(role) '\(node.inputs[index])' must be one value, got \(values.count)") }
        guard let value = values[0].value else { return nil }
        guard value >= minimum else { throw fail("\(role) '\(node.inputs[index])' is \(value), must be at least \(minimum)") }
        return value
    }


    private func inferDFT(inverse: Bool, onesided: Bool, axis: Int?) throws(GraphError) -> Output {
        let input = try requireRank(0, 2...Int.max, role: "input")
        _ = try floatType(0)
        guard let parts = input.dims.last?.value, parts == 1 || parts == 2 else {
            throw fail("input '\(node.inputs[0])' \(input) must end in an axis of 1 (real) or 2 (complex) values")
        }
        let length = try scalarSize(1, role: "dft_length", minimum: 1)
        let lengthGiven = node.inputs.count > 1 && !node.inputs[1].isEmpty
        var dims = input.dims
        dims[input.rank - 1] = inverse && onesided ? 1 : 2
        guard let axis else {
            // The axis comes at run time: only the sizes that do not depend on it are known.
            if onesided || lengthGiven {
                for position in 0..<(input.rank - 1) { dims[position] = freshDim(position) }
            }
            return Output(type: TensorType(input.dtype, dims))
        }
        guard let position = SignalOp.resolvedDFTAxis(axis, rank: input.rank) else {
            throw badAttribute("axis", "is \(axis), outside [-\(input.rank), -2] ∪ [0, \(input.rank - 2)] for rank \(input.rank)")
        }
        let points: Dim
        if let length {
            points = .fixed(length)
        } else if lengthGiven {
            points = freshDim(position)
        } else if inverse && onesided {
            guard let bins = dims[position].value else { dims[position] = freshDim(position); return Output(type: TensorType(input.dtype, dims)) }
            guard bins >= 2 else { throw fail("an inverse one-sided DFT of \(bins) bins has no default length; give dft_length") }
            points = .fixed(try checked("the default dft_length") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(2, bins - 1) })
        } else {
            points = dims[position]
        }
        if onesided && !inverse {
            dims[position] = points.value.map { .fixed($0 / 2 + 1) } ?? freshDim(position)
        } else {
            dims[position] = points
        }
        _ = try product(dims)
        return Output(type: TensorType(input.dtype, dims))
    }

    private func inferSTFT(onesided: Bool) throws(GraphError) -> Output {
        let signal = try requireRank(0, 3...3, role: "signal")
        _ = try floatType(0)
        guard let parts = signal.dims[2].value, parts == 1 || parts == 2 else {
            throw fail("signal '\(node.inputs[0])' \(signal) must end in an axis of 1 (real) or 2 (complex) values")
        }
        if onesided && parts == 2 { throw badAttribute("onesided", "is 1 for a complex signal; a one-sided spectrum needs a real one") }
        let step = try scalarSize(1, role: "frame_step", minimum: 1)
        var windowLength: Dim?
        if let window = optionalType(2) {
            try requireSameDType(2, as: 0)
            guard window.rank == 1 else { throw fail("window '\(node.inputs[2])' must have rank 1, got \(window)") }
            windowLength = window.dims[0]
        }
        let frameLengthGiven = node.inputs.count > 3 && !node.inputs[3].isEmpty
        let frameLength = try scalarSize(3, role: "frame_length", minimum: 1).map(Dim.fixed)
        if let windowLength, let frameLength, windowLength != frameLength, windowLength.value != nil {
            throw fail("window '\(node.inputs[2])' has \(windowLength) points; frame_length is \(frameLength)")
        }
        guard frameLengthGiven || windowLength != nil else { throw fail("STFT needs a window or a frame_length") }
        let points = frameLength ?? (frameLengthGiven ? nil : windowLength)
        var frames = freshDim(1), bins = freshDim(2)
        if let points = points?.value {
            guard points >= 1 else { throw fail("frames of \(points) points are empty") }
            bins = .fixed(onesided ? points / 2 + 1 : points)
            if let step, let length = signal.dims[1].value {
                guard length >= points else { throw fail("signal '\(node.inputs[0])' has \(length) samples, fewer than one frame of \(points)") }
                frames = .fixed((length - points) / step + 1)
            }
        }
        let dims = [signal.dims[0], frames, bins, .fixed(2)]
        _ = try product(dims)
        return Output(type: TensorType(signal.dtype, dims))
    }
}
