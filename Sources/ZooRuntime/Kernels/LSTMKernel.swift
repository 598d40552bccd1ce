import CDNNL
import CZooKernels
import ZooGraph
import ZooTensor

/// ONNX LSTM (gates stored i, o, f, c), forward, reverse or bidirectional, layout 0 or 1,
/// optional initial states, peepholes and clip. The input projection X·Wᵀ + Wb + Rb for
/// every time step and both directions is one oneDNN GEMM. The recurrence then runs one
/// direction after the other on a team of the session's threads that stays together for
/// the whole sequence: each member owns a slice of the hidden units, computes the four gate
/// rows of R for its units against h (`zoo_gemv_rows`, which streams R once per step for
/// the whole batch, straight from the weights tensor), updates its units' cells, and meets
/// the others at one barrier per step before the next step reads the new h:
///   i = σ(g_i + P_i∘c), f = σ(g_f + P_f∘c), c̃ = tanh(g_c), c' = f∘c + i∘c̃,
///   o = σ(g_o + P_o∘c'), h' = o∘tanh(c'), with g = (X·Wᵀ + b)_t + h·Rᵀ.
/// A oneDNN matmul per step (tried before) forked and joined the threads every step and
/// spent longer in that than in the product at batch 1 (Benchmarks/README.md).
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
    /// R [directions, 4H, H] with each row padded with zeros to `paddedHidden` floats, so
    /// that every row starts on a 64-byte boundary: row g·H + k holds gate g of unit k.
    let recurrent: Tensor
    /// H rounded up to 16 floats; h is kept at this stride, its padding zero.
    var paddedHidden: Int { Self.padded(shape.hidden) }
    static func padded(_ hidden: Int) -> Int { (hidden + 15) / 16 * 16 }
    let peepholes: Tensor?
    let clip: Float?
    let threads: Int

    /// Scratch: projected gates for all steps, then h·Rᵀ, c and two padded h buffers (the
    /// step's input and output) of the direction being run, then oneDNN's scratchpad.
    var projectionBytes: Int { MemoryPlanner.aligned(shape.sequence * shape.batch * shape.directions * shape.gateWidth * 4) }
    var stateBytes: Int { MemoryPlanner.aligned(shape.batch * (shape.gateWidth + shape.hidden + 2 * paddedHidden) * 4) }
    var scratchByteCount: Int { projectionBytes + stateBytes + (projection?.scratchByteCount ?? 0) }

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
                                    recurrent: recurrent, peepholes: peepholes, clip: attributes.clip, threads: 1)
            return PreparedKernel(kernel: kernel, outputTypes: Array(outputs.prefix(context.node.outputs.count)))
        }
        let width = directions * 4 * hidden
        let projection = try MatMulKernel.compile(
            MatMulKernel.Geometry(source: [sequence * batch, inputSize], sourceStrides: [inputSize, 1],
                                  weights: [inputSize, width], weightsStrides: [1, inputSize],
                                  destination: [sequence * batch, width], outputShape: [sequence * batch, width], columns: width),
            weights: weights, bias: try combinedBias(context, directions: directions, hidden: hidden),
            attributes: try DNNLAttributes(node: context.node.name), node: context.node.name)
        // One step's product is batch·4H·H multiply-adds; below SmallWork's limit a second
        // thread costs more at the barrier than it saves.
        let threads = SmallWork.isSmall([batch, 4, hidden, hidden]) ? 1 : context.threads
        let kernel = LSTMKernel(
            shape: shape, projection: projection.call, projectionSource: projection.source,
            projectionDestination: projection.destination, recurrent: try paddedRows(recurrent),
            peepholes: peepholes, clip: attributes.clip, threads: threads)
        // W, B and sequence_lens are folded into the projection or checked here; the kernel
        // holds R and P itself.
        return PreparedKernel(kernel: kernel, outputTypes: Array(outputs.prefix(context.node.outputs.count)),
                              packedInputs: [1, 2, 3, 4, 7].filter { context.constant($0) != nil })
    }

    /// R with every row of H floats padded with zeros to a multiple of 16.
    private static func paddedRows(_ recurrent: Tensor) throws(RuntimeError) -> Tensor {
        let (rows, hidden) = (recurrent.shape[0] * recurrent.shape[1], recurrent.shape[2])
        let padded = Self.padded(hidden)
        var result: Tensor
        do { result = try Tensor(zeros: [recurrent.shape[0], recurrent.shape[1], padded], dtype: .float32) } catch { throw .tensor(error) }
        recurrent.withUnsafeBytes { source in
            result.withUnsafeMutableBytes { target in
                let from = source.bindMemory(to: Float.self), to = target.bindMemory(to: Float.self)
                for row in 0..<rows {
                    _ = UnsafeMutableBufferPointer(rebasing: to[row * padded..<row * padded + hidden])
                        .update(fromContentsOf: from[row * hidden..<(row + 1) * hidden])
                }
            }
        }
        return result
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
        try projection.execute([(DNNLArgument.source, projectionSource, io.input(0)),
                                (DNNLArgument.destination, projectionDestination, UnsafeRawPointer(scratch))],
                               io, scratchOffset: projectionBytes + stateBytes)
        let projected = scratch.assumingMemoryBound(to: Float.self)
        let state = (scratch + projectionBytes).assumingMemoryBound(to: Float.self)
        recurrent.withUnsafeBytes { weights in
            let r = weights.baseAddress!.assumingMemoryBound(to: Float.self)
            for direction in 0..<shape.directions {
                recur(direction: direction, r: r + direction * shape.gateWidth * paddedHidden,
                      projected: projected, state: state, io)
            }
        }
    }

    private func recur(direction: Int, r: UnsafePointer<Float>, projected: UnsafeMutablePointer<Float>,
                       state: UnsafeMutablePointer<Float>, _ io: KernelIO) {
        let (hidden, padded, batch, width) = (shape.hidden, paddedHidden, shape.batch, shape.gateWidth)
        let gates = state, c = gates + batch * width
        let h = (c + batch * hidden, c + batch * (hidden + padded))
        h.0.update(repeating: 0, count: 2 * batch * padded)
        c.update(repeating: 0, count: batch * hidden)
        for b in 0..<batch {
            let offset = stateOffset(direction: direction, batch: b)
            for (index, target) in [(5, h.0 + b * padded), (6, c + b * hidden)] {
                if let initial = io.optionalInput(index) {
                    target.update(from: initial.assumingMemoryBound(to: Float.self) + offset, count: hidden)
                }
            }
        }
        let y = io.optionalOutput(0)?.assumingMemoryBound(to: Float.self)
        Parallel.team(threads: threads) { member in
            // 16 units: one vector of floats, so no two members write the same cache line.
            let units = member.share(of: hidden, granule: 16)
            var (current, next) = h
            for step in 0..<shape.sequence {
                let time = shape.reverse[direction] ? shape.sequence - 1 - step : step
                if !units.isEmpty {
                    for gate in 0..<4 {
                        zoo_gemv_rows(r, padded, padded, gate * hidden + units.lowerBound, gate * hidden + units.upperBound,
                                      current, padded, batch, nil, 0, gates, width)
                    }
                }
                for b in 0..<batch where !units.isEmpty {
                    let row = shape.batchFirst ? b * shape.sequence + time : time * batch + b
                    let g = gates + b * width
                    let source = projected + row * shape.directions * width + direction * width
                    for gate in 0..<4 {
                        for unit in units { g[gate * hidden + unit] += source[gate * hidden + unit] }
                    }
                    updateCell(g, units, h: next + b * padded, c: c + b * hidden, direction: direction)
                    if let y {
                        let index = shape.batchFirst ? ((b * shape.sequence + time) * shape.directions + direction) * hidden
                                                     : ((time * shape.directions + direction) * batch + b) * hidden
                        (y + index + units.lowerBound).update(from: next + b * padded + units.lowerBound, count: units.count)
                    }
                }
                member.barrier()
                swap(&current, &next)
            }
        }
        // The buffers swap after every step, so an even count of steps ends in the first.
        let finalH = shape.sequence % 2 == 0 ? h.0 : h.1
        for b in 0..<batch {
            let offset = stateOffset(direction: direction, batch: b)
            if let output = io.optionalOutput(1) { (output.assumingMemoryBound(to: Float.self) + offset).update(from: finalH + b * padded, count: hidden) }
            if let finalC = io.optionalOutput(2) { (finalC.assumingMemoryBound(to: Float.self) + offset).update(from: c + b * hidden, count: hidden) }
        }
    }

    /// The cell update of hidden units `units` from the pre-activations `g` (i, o, f, c
    /// blocks of H for one batch row): new c in place, new h into `h`.
    private func updateCell(_ g: UnsafeMutablePointer<Float>, _ units: Range<Int>, h: UnsafeMutablePointer<Float>,
                            c: UnsafeMutablePointer<Float>, direction: Int) {
        let (hidden, first, count) = (shape.hidden, units.lowerBound, units.count)
        let (input, output, forget, candidate) = (g + first, g + hidden + first, g + 2 * hidden + first, g + 3 * hidden + first)
        let (c, h) = (c + first, h + first)
        peepholes?.withUnsafeBytes { bytes in
            let p = bytes.baseAddress!.assumingMemoryBound(to: Float.self) + direction * 3 * hidden + first
            for k in 0..<count {
                input[k] += p[k] * c[k]
                forget[k] += p[2 * hidden + k] * c[k]
            }
        }
        for gate in 0..<4 { clipped(input + gate * hidden, count: count) }
        zoo_activate(input, input, count, Int32(ZOO_ACTIVATION_SIGMOID))
        zoo_activate(forget, forget, count, Int32(ZOO_ACTIVATION_SIGMOID))
        zoo_activate(candidate, candidate, count, Int32(ZOO_ACTIVATION_TANH))
        for k in 0..<count { c[k] = forget[k] * c[k] + input[k] * candidate[k] }
        peepholes?.withUnsafeBytes { bytes in
            let p = bytes.baseAddress!.assumingMemoryBound(to: Float.self) + direction * 3 * hidden + first
            for k in 0..<count { output[k] += p[hidden + k] * c[k] }
            clipped(output, count: count)
        }
        zoo_activate(output, output, count, Int32(ZOO_ACTIVATION_SIGMOID))
        zoo_activate(c, candidate, count, Int32(ZOO_ACTIVATION_TANH))
        for k in 0..<count { h[k] = output[k] * candidate[k] }
    }

    private func clipped(_ values: UnsafeMutablePointer<Float>, count: Int) {
        guard let clip else { return }
        for k in 0..<count { values[k] = min(max(values[k], -clip), clip) }
    }

    private func stateOffset(direction: Int, batch b: Int) -> Int {
        (shape.batchFirst ? b * shape.directions + direction : direction * shape.batch + b) * shape.hidden
    }
}
