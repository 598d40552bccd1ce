import ZooGraph
import ZooTensor

// The projected LSTM (LSTMP: Sak, Senior & Beaufays 2014; PyTorch's `proj_size`; the biLM of
// ELMo, after bilm-tf's `LSTMCell(num_proj:)`). Each step projects the cell output, and the
// projection is both the layer's output and the state fed back into the gates:
//
//     gates = x_t·Wᵀ + h·Rᵀ + B                          [batch, 4H], ONNX gate order i, o, f, c
//     c'    = clip(σ(f)∘c + σ(i)∘tanh(c̃), cellClip)        [batch, H]
//     h'    = clip((σ(o)∘tanh(c'))·Pᵀ, projectionClip)     [batch, P]
//
// ONNX's LSTM has no projection, so each layer and direction is a Scan over the time axis
// whose body is one step of this cell: the sequence length stays dynamic. The reverse
// direction reads its input and writes its output last to first (scan_input_directions =
// scan_output_directions = [1]), so step t of both directions lines up.
//
// Parameters of layer l, read by the body from the enclosing graph (with a direction level,
// `<path>.l.forward.W` and `<path>.l.reverse.W`, when bidirectional):
//
//     <path>.l.W [4H, I]   <path>.l.R [4H, P]   <path>.l.B [4H]   <path>.l.P [P, H]
//
// They differ from the plain LSTM's in two ways. Each direction has its own 2-D matrices,
// which the body's Gemms read as they are (no per-step slice or transpose). And each gate has
// one bias, as in bilm-tf and AllenNLP, whose ELMo parameter counts assume it; ONNX's and
// PyTorch's LSTMs keep an input and a recurrent bias that only ever act as their sum, so
// PyTorch's `bias_ih + bias_hh` imports as B. `P` is the projection, not the peephole input
// that ONNX's LSTM calls P.

extension LSTM {
    /// Zero initial states h `[batch, P]` and c `[batch, H]`, the batch size read from the
    /// time-major `input` at run time. Every layer and direction starts from them.
    func projectedInitialStates(_ projectionSize: Int, batchOf input: Value, _ tracer: inout Tracer) throws
        -> (h: Value, c: Value)
    {
        let batch = try tracer.apply(.shape(start: 1, end: 2), input, role: "batch_size")
        func zeros(_ size: Int, role: String) throws -> Value {
            let width = try tracer.integers([size], role: "\(role)_width")
            let shape = try tracer.apply(.concat(axis: 0), [batch, width], role: "\(role)_shape")
            return try tracer.apply(.constantOfShape(value: try Tensor(shape: [1], scalars: [Float(0)])), shape, role: role)
        }
        return (try zeros(projectionSize, role: "initial_h"), try zeros(hiddenSize, role: "initial_c"))
    }

    /// One projected layer: a Scan per direction, their `[seq, batch, P]` outputs concatenated
    /// to `[seq, batch, directions·P]`.
    func projectedRecurrence(_ input: Value, projectionSize: Int, from initial: (h: Value, c: Value),
                             _ tracer: inout Tracer) throws -> Value {
        func scan(backwards: Bool, _ tracer: inout Tracer) throws -> Value {
            try projectedScan(input, projectionSize: projectionSize, from: initial, backwards: backwards, &tracer)
        }
        guard bidirectional else { return try scan(backwards: reverse, &tracer) }
        let forward = try tracer.scope("forward") { tracer in try scan(backwards: false, &tracer) }
        let backward = try tracer.scope("reverse") { tracer in try scan(backwards: true, &tracer) }
        return try tracer.apply(.concat(axis: 2), [forward, backward], role: "concat")
    }

    /// Checks the projection settings, which the plain LSTM must not have.
    func checkProjection(_ tracer: Tracer) throws {
        guard let projectionSize else {
            try tracer.require(cellClip == nil && projectionClip == nil, "LSTM",
                               "cell and projection clips need a projection size (ONNX LSTM's clip bounds the gate inputs, not the cell)")
            return
        }
        try tracer.require(projectionSize >= 1, "LSTM", "projection size is \(projectionSize), must be positive")
        for (name, bound) in [("cell", cellClip), ("projection", projectionClip)] {
            guard let bound else { continue }
            try tracer.require(bound > 0, "LSTM", "\(name) clip is \(bound), must be positive")
        }
    }

    /// One direction of a layer: declares its parameters at the current path and adds the
    /// Scan (named by the path); returns the per-step outputs `[seq, batch, P]`.
    private func projectedScan(_ input: Value, projectionSize: Int, from initial: (h: Value, c: Value), backwards: Bool,
                               _ tracer: inout Tracer) throws -> Value {
        let inputSize = try tracer.staticSize(of: input, axis: 2, "LSTM", role: "feature size")
        let weights = StepWeights(
            input: try tracer.parameter("W", shape: [4 * hiddenSize, inputSize], fill: weightFill),
            recurrent: try tracer.parameter("R", shape: [4 * hiddenSize, projectionSize], fill: weightFill),
            bias: try tracer.parameter("B", shape: [4 * hiddenSize], fill: .zeros),
            projection: try tracer.parameter("P", shape: [projectionSize, hiddenSize], fill: weightFill))
        let slice = TensorType(input.type.dtype, Array(input.type.dims.dropFirst()))
        let body = try tracer.subgraph(named: tracer.qualified("step")) { body in
            try traceStep(weights, state: (initial.h.type, initial.c.type), slice: slice, &body)
        }
        let directions = backwards ? [1] : nil
        let scan = ScanAttributes(body: body, scanInputCount: 1, scanInputDirections: directions, scanOutputDirections: directions)
        return try tracer.nodes(.scan(scan), [initial.h, initial.c, input], outputCount: 3)[2]
    }

    /// The Scan body, one step of the cell: inputs h `[batch, P]`, c `[batch, H]` and the
    /// input slice x_t `[batch, I]`; outputs the next h and c (the carried states) and h again
    /// (the per-step output).
    private func traceStep(_ weights: StepWeights, state: (h: TensorType, c: TensorType), slice: TensorType,
                           _ body: inout Tracer) throws {
        let h = try body.input(body.qualified("h_prev"), state.h)
        let c = try body.input(body.qualified("c_prev"), state.c)
        let x = try body.input(body.qualified("x_t"), slice)
        let timesTransposed = Op.gemm(GemmAttributes(transB: true))
        let inputGates = try body.apply(timesTransposed, x, weights.input, weights.bias, role: "input_gates")
        let gates = try body.apply(timesTransposed, h, weights.recurrent, inputGates, role: "gates")

        let bounds = try (0...4).map { try body.integers([$0 * hiddenSize], role: "gate_bound_\($0)") }
        let gateAxis = try body.integers([1], role: "gate_axis")
        func gate(_ position: Int, _ name: String, _ activation: Op) throws -> Value {
            let preactivation = try body.apply(.slice, gates, bounds[position], bounds[position + 1], gateAxis,
                                               role: "\(name)_preactivation")
            return try body.apply(activation, preactivation, role: name)
        }
        let inputGate = try gate(0, "input_gate", .sigmoid)
        let outputGate = try gate(1, "output_gate", .sigmoid)
        let forgetGate = try gate(2, "forget_gate", .sigmoid)
        let candidate = try gate(3, "candidate", .tanh)

        let kept = try body.apply(.mul, forgetGate, c, role: "kept")
        let written = try body.apply(.mul, inputGate, candidate, role: "written")
        var cell = try body.apply(.add, kept, written, role: "cell")
        if let cellClip { cell = try clip(cell, to: cellClip, role: "cell_clip", &body) }
        let cellOutput = try body.apply(.mul, outputGate, try body.apply(.tanh, cell, role: "cell_tanh"), role: "cell_output")
        var projected = try body.apply(timesTransposed, cellOutput, weights.projection, role: "projection")
        if let projectionClip { projected = try clip(projected, to: projectionClip, role: "projection_clip", &body) }

        try body.output(projected, as: projected.name)
        try body.output(cell, as: cell.name)
        try body.output(projected, as: body.qualified("output"))
    }

    private func clip(_ value: Value, to bound: Float, role: String, _ body: inout Tracer) throws -> Value {
        let low = try body.scalar(-bound, role: "\(role)_min")
        let high = try body.scalar(bound, role: "\(role)_max")
        return try body.apply(.clip, value, low, high, role: role)
    }
}

/// The enclosing graph's parameters one direction's step reads.
private struct StepWeights {
    let input: Value
    let recurrent: Value
    let bias: Value
    let projection: Value
}
