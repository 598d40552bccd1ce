import CDNNL
import ZooGraph
import ZooTensor

/// ONNX LSTM (gates stored i, o, f, c), forward, reverse or bidirectional, layout 0 or 1,
/// optional initial states, peepholes and clip. The input projection X·Wᵀ + Wb + Rb for
/// every time step and both directions is one oneDNN GEMM. The recurrence then runs one
/// direction after the other; each time step computes h·Rᵀ for the whole batch and all four
/// gates with one matmul primitive whose Rᵀ was packed at compile time, so every step reads
/// R once, in oneDNN's layout, on all the session's threads:
///   i = σ(g_i + P_i∘c), f = σ(g_f + P_f∘c), c̃ = tanh(g_c), c' = f∘c + i∘c̃,
///   o = σ(g_o + P_o∘c'), h' = o∘tanh(c'), with g = (X·Wᵀ + b)_t + h·Rᵀ.
struct LSTMKernel: Kernel {
    struct Shape: Sendable {
        var sequence: Int, batch: Int, hidden: Int, directions: Int
        var batchFirst: Bool
        var reverse: [Bool]
        var gateWidth: Int { 4 * hidden }
    }

    let shape: Shape
    let projection: DNNLCall?
    let projectionSource: dnnl_memory_desc_t
    let projectionDestination: dnnl_memory_desc_t
    /// h·Rᵀ per direction: [batch, H] times packed Rᵀ [H, 4H] into [batch, 4H].
    let recurrence: [DNNLCall]
    let recurrenceSource: dnnl_memory_desc_t
    let recurrenceDestination: dnnl_memory_desc_t
    let peepholes: Tensor?
    let clip: Float?

    /// Scratch: projected gates for all steps, then h·Rᵀ, h and c of the direction being
    /// run, then oneDNN's scratchpad (the projection and the steps run one after another).
    var projectionBytes: Int { MemoryPlanner.aligned(shape.sequence * shape.batch * shape.directions * shape.gateWidth * 4) }
    var stateBytes: Int { MemoryPlanner.aligned(shape.batch * (shape.gateWidth + 2 * shape.hidden) * 4) }
    var scratchByteCount: Int {
        projectionBytes + stateBytes + max(projection?.scratchByteCount ?? 0, recurrence.map(\.scratchByteCount).max() ?? 0)
    }

    static func prepare(_ context: KernelContext, _ attributes: LSTMAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank == 3 else { throw context.fail("X must have rank 3, got \(input)") }
        guard attributes.activations.isEmpty || attributes.activations == ["Sigmoid", "Tanh", "Tanh"] else {
            throw context.unsupported("activations \(attributes.activations); only the default Sigmoid, Tanh, Tanh")
        }
        guard !attributes.inputForget else { throw context.unsupported("input_forget = 1") }
        let directions = attributes.direction.count, hidden = attributes.hiddenSize
        let batchFirst = attributes.layout == 1
        let (sequence, batch, inputSize) = batchFirst ? (input.shape[1], input.shape[0], input.shape[2])
                                                      : (input.shape[0], input.shape[1], input.shape[2])
        let shape = Shape(sequence: sequence, batch: batch, hidden: hidden, directions: directions, batchFirst: batchFirst,
                          reverse: attributes.direction == .bidirectional ? [false, true] : [attributes.direction == .reverse])
        guard let weights = context.constant(1), weights.shape == [directions, 4 * hidden, inputSize],
              let recurrent = context.constant(2), recurrent.shape == [directions, 4 * hidden, hidden] else {
            throw context.unsupported("W and R must be constants of shape [\(directions), \(4 * hidden), \(inputSize) or \(hidden)]")
        }
        if let lengths = try context.constantIntegers(4, role: "sequence_lens"), lengths.contains(where: { $0 != sequence }) {
            throw context.unsupported("sequence_lens shorter than the sequence")
        } else if context.node.input(4) != nil && context.constant(4) == nil {
            throw context.unsupported("sequence_lens must be constant")
        }
        let state = batchFirst ? [batch, directions, hidden] : [directions, batch, hidden]
        for index in [5, 6] where context.optionalType(index) != nil {
            guard try context.floatType(index).shape == state else { throw context.fail("initial state must be \(state)") }
        }
        let peepholes = context.node.input(7) == nil ? nil : context.constant(7)
        if context.node.input(7) != nil, peepholes?.shape != [directions, 3 * hidden] {
            throw context.unsupported("P must be a constant of shape [\(directions), \(3 * hidden)]")
        }
        let outputs = [ValueType(.float32, batchFirst ? [batch, sequence, directions, hidden] : [sequence, directions, batch, hidden]),
                       ValueType(.float32, state), ValueType(.float32, state)]

        guard context.compilesPrimitives else {
            let kernel = LSTMKernel(shape: shape, projection: nil, projectionSource: .init(), projectionDestination: .init(),
                                    recurrence: [], recurrenceSource: .init(), recurrenceDestination: .init(),
                                    peepholes: peepholes, clip: attributes.clip)
            return PreparedKernel(kernel: kernel, outputTypes: Array(outputs.prefix(context.node.outputs.count)))
        }
        let width = directions * 4 * hidden
        let projection = try MatMulKernel.compile(
            MatMulKernel.Geometry(source: [sequence * batch, inputSize], sourceStrides: [inputSize, 1],
                                  weights: [inputSize, width], weightsStrides: [1, inputSize],
                                  destination: [sequence * batch, width], outputShape: [sequence * batch, width], columns: width),
            weights: weights, bias: try combinedBias(context, directions: directions, hidden: hidden),
            attributes: try DNNLAttributes(node: context.node.name), node: context.node.name)
        // R[direction] is [4H, H] row-major, read as Rᵀ [H, 4H] through strides.
        let recurrence = try (0..<directions).map { (direction) throws(RuntimeError) in
            try MatMulKernel.compile(
                MatMulKernel.Geometry(source: [batch, hidden], sourceStrides: [hidden, 1],
                                      weights: [hidden, 4 * hidden], weightsStrides: [1, hidden],
                                      destination: [batch, 4 * hidden], outputShape: [batch, 4 * hidden], columns: 4 * hidden),
                weights: try directionSlice(recurrent, direction), bias: nil,
                attributes: try DNNLAttributes(node: context.node.name), node: context.node.name)
        }
        let kernel = LSTMKernel(
            shape: shape, projection: projection.call, projectionSource: projection.source,
            projectionDestination: projection.destination, recurrence: recurrence.map(\.call),
            recurrenceSource: recurrence[0].source, recurrenceDestination: recurrence[0].destination,
            peepholes: peepholes, clip: attributes.clip)
        // W, R, B and sequence_lens are folded into the primitives or checked here; the
        // kernel holds P itself.
        return PreparedKernel(kernel: kernel, outputTypes: Array(outputs.prefix(context.node.outputs.count)),
                              packedInputs: [1, 2, 3, 4, 7].filter { context.constant($0) != nil })
    }

    /// One direction's [4H, H] block of R ([directions, 4H, H]); a temporary the packing reads.
    private static func directionSlice(_ recurrent: Tensor, _ direction: Int) throws(RuntimeError) -> Tensor {
        let shape = Array(recurrent.shape.dropFirst())
        guard recurrent.shape[0] > 1 else {
            do { return try recurrent.reshaped(to: shape) } catch { throw .tensor(error) }
        }
        let byteCount = shape.reduce(4, *)
        let slice = recurrent.withUnsafeBytes { bytes in
            Result { () throws(TensorError) in
                try Tensor(dtype: .float32, shape: shape,
                           bytes: UnsafeRawBufferPointer(rebasing: bytes[direction * byteCount..<(direction + 1) * byteCount]))
            }
        }
        do { return try slice.get() } catch { throw .tensor(error) }
    }

    /// Wb + Rb per direction, as one [directions·4H] bias for the projection GEMM.
    private static func combinedBias(_ context: KernelContext, directions: Int, hidden: Int) throws(RuntimeError) -> Tensor? {
        guard context.node.input(3) != nil else { return nil }
        guard let bias = context.constant(3), bias.shape == [directions, 8 * hidden],
              let values = try? bias.scalars(as: Float.self) else {
            throw context.unsupported("B must be a float32 constant of shape [\(directions), \(8 * hidden)]")
        }
        var combined: [Float] = []
        for direction in 0..<directions {
            let base = direction * 8 * hidden
            combined += (0..<(4 * hidden)).map { values[base + $0] + values[base + 4 * hidden + $0] }
        }
        do { return try Tensor(shape: [combined.count], scalars: combined) } catch { throw .tensor(error) }
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let projection, let scratch = io.scratch else { return }
        let scratchpadOffset = projectionBytes + stateBytes
        try projection.execute([(DNNLArgument.source, projectionSource, io.input(0)),
                                (DNNLArgument.destination, projectionDestination, UnsafeRawPointer(scratch))],
                               io, scratchOffset: scratchpadOffset)
        let projected = scratch.assumingMemoryBound(to: Float.self)
        let state = (scratch + projectionBytes).assumingMemoryBound(to: Float.self)
        for direction in 0..<shape.directions {
            try recur(direction: direction, projected: projected, state: state, io, scratchpadOffset: scratchpadOffset)
        }
    }

    private func recur(direction: Int, projected: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>,
                       _ io: KernelIO, scratchpadOffset: Int) throws(RuntimeError) {
        let (hidden, batch, width) = (shape.hidden, shape.batch, shape.gateWidth)
        let gates = state, h = state + batch * width, c = h + batch * hidden
        for b in 0..<batch {
            let offset = stateOffset(direction: direction, batch: b)
            for (index, target) in [(5, h), (6, c)] {
                if let initial = io.optionalInput(index) {
                    (target + b * hidden).update(from: initial.assumingMemoryBound(to: Float.self) + offset, count: hidden)
                } else {
                    (target + b * hidden).update(repeating: 0, count: hidden)
                }
            }
        }
        for step in 0..<shape.sequence {
            let time = shape.reverse[direction] ? shape.sequence - 1 - step : step
            try recurrence[direction].execute([(DNNLArgument.source, recurrenceSource, UnsafeRawPointer(h)),
                                               (DNNLArgument.destination, recurrenceDestination, UnsafeRawPointer(gates))],
                                              io, scratchOffset: scratchpadOffset)
            for b in 0..<batch {
                let row = shape.batchFirst ? b * shape.sequence + time : time * batch + b
                let g = gates + b * width, hb = h + b * hidden
                let source = projected + row * shape.directions * width + direction * width
                for gate in 0..<width { g[gate] += source[gate] }
                updateCell(g, hb, c + b * hidden, direction: direction)
                if let y = io.optionalOutput(0) {
                    let index = shape.batchFirst ? ((b * shape.sequence + time) * shape.directions + direction) * hidden
                                                 : ((time * shape.directions + direction) * batch + b) * hidden
                    (y.assumingMemoryBound(to: Float.self) + index).update(from: hb, count: hidden)
                }
            }
        }
        for b in 0..<batch {
            let offset = stateOffset(direction: direction, batch: b)
            if let finalH = io.optionalOutput(1) { (finalH.assumingMemoryBound(to: Float.self) + offset).update(from: h + b * hidden, count: hidden) }
            if let finalC = io.optionalOutput(2) { (finalC.assumingMemoryBound(to: Float.self) + offset).update(from: c + b * hidden, count: hidden) }
        }
    }

    /// One cell update from the pre-activations `g` (i, o, f, c blocks of H).
    private func updateCell(_ g: UnsafeMutablePointer<Float>, _ h: UnsafeMutablePointer<Float>,
                            _ c: UnsafeMutablePointer<Float>, direction: Int) {
        let hidden = shape.hidden
        let (input, output, forget, candidate) = (g, g + hidden, g + 2 * hidden, g + 3 * hidden)
        peepholes?.withUnsafeBytes { bytes in
            let p = bytes.baseAddress!.assumingMemoryBound(to: Float.self) + direction * 3 * hidden
            for k in 0..<hidden {
                input[k] += p[k] * c[k]
                forget[k] += p[2 * hidden + k] * c[k]
            }
        }
        clipped(g, count: 4 * hidden)
        VectorMath.map(input, input, count: hidden, VectorMath.sigmoid)
        VectorMath.map(forget, forget, count: hidden, VectorMath.sigmoid)
        VectorMath.map(candidate, candidate, count: hidden, VectorMath.tanh)
        for k in 0..<hidden { c[k] = forget[k] * c[k] + input[k] * candidate[k] }
        peepholes?.withUnsafeBytes { bytes in
            let p = bytes.baseAddress!.assumingMemoryBound(to: Float.self) + direction * 3 * hidden
            for k in 0..<hidden { output[k] += p[hidden + k] * c[k] }
            clipped(output, count: hidden)
        }
        VectorMath.map(output, output, count: hidden, VectorMath.sigmoid)
        VectorMath.map(c, candidate, count: hidden, VectorMath.tanh)
        for k in 0..<hidden { h[k] = output[k] * candidate[k] }
    }

    private func clipped(_ values: UnsafeMutablePointer<Float>, count: Int) {
        guard let clip else { return }
        for k in 0..<count { values[k] = min(max(values[k], -clip), clip) }
    }

    private func stateOffset(direction: Int, batch b: Int) -> Int {
        (shape.batchFirst ? b * shape.directions + direction : direction * shape.batch + b) * shape.hidden
    }
}
