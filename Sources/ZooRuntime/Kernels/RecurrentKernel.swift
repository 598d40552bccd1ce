import CDNNL
import CZooKernels
import ZooGraph
import ZooTensor

/// ONNX LSTM (gates i, o, f, c), GRU (z, r, h) and RNN, forward, reverse or bidirectional,
/// layout 0 or 1, with optional bias, sequence_lens (ragged), initial states, LSTM's
/// peepholes and input_forget, GRU's linear_before_reset, clip and any activations. W, R,
/// B, P and sequence_lens may be constants or run-time inputs; everything is float32.
///
/// The input projection X·Wᵀ for every time step and both directions is one oneDNN GEMM.
/// The recurrence then runs one direction after the other on a team of the session's
/// threads that stays together for the whole sequence: each member owns a slice of the
/// hidden units, computes the gate rows of R for its units against h (`zoo_gemv_rows`,
/// which streams R once per step for the whole batch), adds the step's projection and the
/// bias, updates its units (`RecurrentCellUpdate`), and meets the others at one barrier per
/// step before the next step reads the new h. GRU without linear_before_reset multiplies
/// (r∘h)·Rₕᵀ, which needs every unit's r: its members meet once more in the middle of the
/// step. A oneDNN matmul per step (tried before) forked and joined the threads every step
/// and spent longer in that than in the product at batch 1 (Benchmarks/README.md).
///
/// With sequence_lens, row b runs its first L_b steps (a reverse direction starts at
/// L_b − 1); Y is zero after them and Y_h (Y_c) holds the state after the last.
struct RecurrentKernel: Kernel {
    struct Shape: Sendable {
        var sequence: Int, batch: Int, input: Int, hidden: Int, directions: Int, gates: Int
        var batchFirst: Bool
        var reverse: [Bool]
        var gateWidth: Int { gates * hidden }
        /// H rounded up to 16 floats: h and R's rows are kept at this stride, padding zero,
        /// so that every row starts on a 64-byte boundary.
        var paddedHidden: Int { (hidden + 15) / 16 * 16 }
    }

    /// Where each part of the scratch memory starts, in bytes.
    struct ScratchLayout: Sendable {
        var projection = 0, bias = 0, recurrent = 0, state = 0, primitive = 0, total = 0
    }

    let node: String, opName: String
    let update: RecurrentCellUpdate
    let shape: Shape
    let projection: DNNLCall?
    let projectionSource: dnnl_memory_desc_t
    let projectionDestination: dnnl_memory_desc_t
    /// W's descriptor when W is a run-time input (a constant W is packed into the primitive).
    let projectionWeights: dnnl_memory_desc_t?
    /// R [directions, gates·H, paddedHidden] from a constant R; nil when R is a run-time
    /// input, padded into scratch on every run.
    let recurrent: Tensor?
    let threads: Int
    let layout: ScratchLayout

    var scratchByteCount: Int { layout.total }

    static func prepare(_ context: KernelContext, _ attributes: RecurrentAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank == 3 else { throw context.fail("X must have rank 3, got \(input)") }
        let (directions, hidden, gates) = (attributes.direction.count, attributes.hiddenSize, attributes.cell.gateCount)
        let batchFirst = attributes.layout == 1
        let (sequence, batch) = batchFirst ? (input.shape[1], input.shape[0]) : (input.shape[0], input.shape[1])
        let shape = Shape(sequence: sequence, batch: batch, input: input.shape[2], hidden: hidden, directions: directions,
                          gates: gates, batchFirst: batchFirst,
                          reverse: attributes.direction == .bidirectional ? [false, true] : [attributes.direction == .reverse])
        try checkOperands(context, attributes, shape)
        let state = batchFirst ? [batch, directions, hidden] : [directions, batch, hidden]
        let outputs = [ValueType(.float32, batchFirst ? [batch, sequence, directions, hidden] : [sequence, directions, batch, hidden]),
                       ValueType(.float32, state), ValueType(.float32, state)]
        let outputTypes = Array(outputs.prefix(context.node.outputs.count))
        let update = RecurrentCellUpdate(attributes: attributes, hasPeepholes: context.optionalType(7) != nil)
        let layout = try scratchLayout(context, shape, recurrentIsConstant: context.constant(2) != nil)

        guard context.compilesPrimitives else {
            let kernel = RecurrentKernel(node: context.node.name, opName: context.opName, update: update, shape: shape, projection: nil, projectionSource: .init(),
                                         projectionDestination: .init(), projectionWeights: nil, recurrent: nil, threads: 1,
                                         layout: layout)
            return PreparedKernel(kernel: kernel, outputTypes: outputTypes)
        }
        let (rows, width) = (sequence * batch, directions * gates * hidden)
        let weights = context.constant(1)
        let projection = try MatMulKernel.compile(
            MatMulKernel.Geometry(source: [rows, shape.input], sourceStrides: [shape.input, 1],
                                  weights: [shape.input, width], weightsStrides: [1, shape.input],
                                  destination: [rows, width], outputShape: [rows, width], columns: width),
            weights: weights, bias: nil, attributes: try DNNLAttributes(node: context.node.name), node: context.node.name)
        var withPrimitive = layout
        withPrimitive.total = try context.checked("scratch of \(layout.total) + \(projection.call.scratchByteCount) bytes") {
            () throws(ArithmeticOverflow) in try CheckedArithmetic.add(layout.total, projection.call.scratchByteCount)
        }
        // One step's product is batch·gates·H·H multiply-adds; below SmallWork's limit a
        // second thread costs more at the barrier than it saves.
        let threads = SmallWork.isSmall([batch, gates, hidden, hidden]) ? 1 : context.threads
        let kernel = RecurrentKernel(
            node: context.node.name, opName: context.opName, update: update, shape: shape, projection: projection.call, projectionSource: projection.source,
            projectionDestination: projection.destination, projectionWeights: weights == nil ? projection.weights : nil,
            recurrent: try context.constant(2).map { constant throws(RuntimeError) in try paddedRows(constant, shape) },
            threads: threads, layout: withPrimitive)
        // W is packed into the projection and R padded here; the rest is read on every run.
        return PreparedKernel(kernel: kernel, outputTypes: outputTypes, packedInputs: [1, 2].filter { context.constant($0) != nil })
    }

    /// Every operand float32 (sequence_lens int32) and of the shape the attributes give.
    private static func checkOperands(_ context: KernelContext, _ attributes: RecurrentAttributes, _ shape: Shape) throws(RuntimeError) {
        let (directions, hidden, width) = (shape.directions, shape.hidden, shape.gateWidth)
        let state = shape.batchFirst ? [shape.batch, directions, hidden] : [directions, shape.batch, hidden]
        var expected: [(index: Int, role: String, shape: [Int])] = [
            (1, "W", [directions, width, shape.input]), (2, "R", [directions, width, hidden]), (3, "B", [directions, 2 * width]),
            (5, "initial_h", state),
        ]
        if attributes.cell.isLSTM { expected += [(6, "initial_c", state), (7, "P", [directions, 3 * hidden])] }
        for (index, role, dims) in expected where context.optionalType(index) != nil {
            let found = try context.floatType(index)
            guard found.shape == dims else { throw context.fail("\(role) must have shape \(dims), got \(found.shape)") }
        }
        if let lengths = context.optionalType(4), lengths.dtype != .int32 || lengths.shape != [shape.batch] {
            throw context.fail("sequence_lens must be int32 of shape [\(shape.batch)], got \(lengths)")
        }
    }

    /// Projected gates for all steps; the bias vectors; R padded when it arrives at run
    /// time; per direction the step's gate values, c, two padded h buffers (the step's
    /// input and output) and a padded r∘h (GRU); oneDNN's scratchpad last.
    private static func scratchLayout(_ context: KernelContext, _ shape: Shape, recurrentIsConstant: Bool) throws(RuntimeError) -> ScratchLayout {
        try context.checked("the recurrence's scratch memory") { () throws(ArithmeticOverflow) in
            let floats = MemoryLayout<Float>.size
            let projection = try CheckedArithmetic.product([shape.sequence, shape.batch, shape.directions, shape.gateWidth, floats])
            let bias = try CheckedArithmetic.product([shape.directions, shape.gateWidth + shape.hidden, floats])
            let recurrent = recurrentIsConstant ? 0 : try CheckedArithmetic.product([shape.directions, shape.gateWidth, shape.paddedHidden, floats])
            let perRow = try CheckedArithmetic.add(shape.gateWidth + shape.hidden, try CheckedArithmetic.multiply(3, shape.paddedHidden))
            let state = try CheckedArithmetic.product([shape.batch, perRow, floats])
            var layout = ScratchLayout()
            var offset = 0
            for (part, bytes) in [(\ScratchLayout.projection, projection), (\.bias, bias), (\.recurrent, recurrent), (\.state, state)] {
                layout[keyPath: part] = offset
                let end = try CheckedArithmetic.add(try CheckedArithmetic.add(offset, bytes), MemoryPlanner.alignment - 1)
                offset = end / MemoryPlanner.alignment * MemoryPlanner.alignment
            }
            layout.primitive = offset
            layout.total = offset
            return layout
        }
    }

    /// R with every row of H floats padded with zeros to `paddedHidden`.
    private static func paddedRows(_ recurrent: Tensor, _ shape: Shape) throws(RuntimeError) -> Tensor {
        var result: Tensor
        do { result = try Tensor(zeros: [shape.directions, shape.gateWidth, shape.paddedHidden], dtype: .float32) } catch { throw .tensor(error) }
        recurrent.withUnsafeBytes { source in
            result.withUnsafeMutableBytes { target in
                pad(source.bindMemory(to: Float.self).baseAddress!, into: target.bindMemory(to: Float.self).baseAddress!, shape)
            }
        }
        return result
    }

    private static func pad(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, _ shape: Shape) {
        let (hidden, padded) = (shape.hidden, shape.paddedHidden)
        for row in 0..<(shape.directions * shape.gateWidth) {
            (target + row * padded).update(from: source + row * hidden, count: hidden)
            (target + row * padded + hidden).update(repeating: 0, count: padded - hidden)
        }
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let projection, let scratch = io.scratch else { return }
        let lengths = try sequenceLengths(io)
        var operands = [(DNNLArgument.source, projectionSource, io.input(0)),
                        (DNNLArgument.destination, projectionDestination, UnsafeRawPointer(scratch + layout.projection))]
        if let projectionWeights { operands.append((DNNLArgument.weights, projectionWeights, io.input(1))) }
        try projection.execute(operands, io, scratchOffset: layout.primitive)
        let bias = (scratch + layout.bias).assumingMemoryBound(to: Float.self)
        update.splitBias(io.optionalInput(3)?.assumingMemoryBound(to: Float.self), into: bias, shape)
        if let y = io.optionalOutput(0), lengths != nil {
            y.initializeMemory(as: Float.self, repeating: 0, count: shape.sequence * shape.batch * shape.directions * shape.hidden)
        }
        let context = RecurrentRun(kernel: self, io: io, lengths: lengths, bias: bias,
                                   projected: (scratch + layout.projection).assumingMemoryBound(to: Float.self),
                                   state: (scratch + layout.state).assumingMemoryBound(to: Float.self))
        if let recurrent {
            recurrent.withUnsafeBytes { weights in context.run(r: weights.baseAddress!.assumingMemoryBound(to: Float.self)) }
        } else {
            let padded = (scratch + layout.recurrent).assumingMemoryBound(to: Float.self)
            Self.pad(io.floats(2), into: padded, shape)
            context.run(r: padded)
        }
    }

    /// sequence_lens, each checked to lie in 0...sequence; nil when absent or all full.
    private func sequenceLengths(_ io: KernelIO) throws(RuntimeError) -> UnsafePointer<Int32>? {
        guard let raw = io.optionalInput(4) else { return nil }
        let lengths = raw.assumingMemoryBound(to: Int32.self)
        var full = true
        for b in 0..<shape.batch {
            guard (0...shape.sequence).contains(Int(lengths[b])) else {
                throw .shape(node: node, op: opName,
                             message: "sequence_lens[\(b)] is \(lengths[b]), outside 0...\(shape.sequence) (the sequence length)")
            }
            full = full && Int(lengths[b]) == shape.sequence
        }
        return full ? nil : lengths
    }
}
