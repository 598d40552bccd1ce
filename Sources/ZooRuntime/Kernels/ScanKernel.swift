import ZooGraph
import ZooTensor

/// ONNX Scan (opset 16): runs the body once per position along the scanned axis, carrying
/// the states from step to step, slicing the scanned inputs and stacking the per-step
/// outputs, each in its own direction.
///
/// The body is compiled once per node compilation, which is once per set of input shapes (a
/// nested plan, see SubgraphPlan), and runs in this kernel's scratch: the body's arena, two
/// state sets that the steps alternate between (step 0 reads the node's initial states, the
/// last step writes the final ones straight to the node's outputs), gathered slices of
/// scanned inputs whose slices are not contiguous (others are read in place), and the body's
/// address tables. So a run allocates nothing, and the kernel itself stays immutable:
/// concurrent runs, each with its own arena, share nothing mutable.
struct ScanKernel: Kernel {
    /// What runs at every step; nil when prepared for output types only.
    let body: ExecutionPlan?
    let length: Int
    /// Bytes of each state.
    let stateBytes: [Int]
    let scannedInputs: [AxisSlices]
    /// How each per-step output is stacked: body and node output `stateCount + k` for the k-th.
    let stackedOutputs: [AxisSlices]
    /// Kernel-input positions of the enclosing values the body takes as inputs.
    let outerInputs: [Int]
    let scratch: Scratch

    var scratchByteCount: Int { scratch.byteCount }
    private var stateCount: Int { stateBytes.count }

    static func prepare(_ context: KernelContext, _ attributes: ScanAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let node = context.node, body = attributes.body
        let stateCount = node.inputs.count - attributes.scanInputCount
        guard attributes.scanInputCount >= 1, stateCount >= 0, body.inputs.count == node.inputs.count,
              body.outputs.count >= stateCount, node.outputs.count <= body.outputs.count else {
            throw context.fail("\(attributes.scanInputCount) scanned inputs, \(stateCount) states, \(node.outputs.count) outputs do not fit a body of \(body.inputs.count) inputs and \(body.outputs.count) outputs")
        }
        var states: [ValueType] = []
        for index in 0..<stateCount { states.append(try context.type(index)) }
        let (scannedInputs, slices) = try scannedInputSlices(context, attributes, stateCount: stateCount)
        let length = scannedInputs[0].length

        // Per-step outputs after the node's last output are left out, so the body's passes drop their work.
        let stackedCount = max(node.outputs.count - stateCount, 0)
        let perStepCount = body.outputs.count - stateCount
        let outputAxes = try perTensor(attributes.scanOutputAxes, count: perStepCount, "scan_output_axes", context)
        let outputDirections = try perTensor(attributes.scanOutputDirections, count: perStepCount, "scan_output_directions", context)
        let subgraph = try SubgraphPlan(body, inputTypes: states + slices, keptOutputs: Array(0..<(stateCount + stackedCount)),
                                        firstImplicitInput: node.inputs.count, context)
        for (index, state) in states.enumerated() where subgraph.outputTypes[index] != state {
            throw context.fail("body output '\(body.outputs[index].name)' is \(subgraph.outputTypes[index]), but carries the state '\(body.inputs[index].name)' of \(state)")
        }
        var outputTypes = states
        var stackedOutputs: [AxisSlices] = []
        for offset in 0..<stackedCount {
            let step = subgraph.outputTypes[stateCount + offset]
            let axis = try context.axis(outputAxes[offset], rank: step.rank + 1, name: "scan_output_axes")
            var shape = step.shape
            shape.insert(length, at: axis)
            outputTypes.append(ValueType(step.dtype, shape))
            stackedOutputs.append(AxisSlices(shape: shape, axis: axis, elementBytes: step.dtype.byteSize,
                                             reversed: outputDirections[offset] == 1))
        }

        let inputCount = node.inputs.count + subgraph.outerInputs.count
        let scratch = subgraph.plan.map { Scratch(body: $0, length: length, stateBytes: states.map(\.byteCount),
                                                  scannedInputs: scannedInputs, inputCount: inputCount) }
        let kernel = ScanKernel(body: subgraph.plan, length: length, stateBytes: states.map(\.byteCount),
                                scannedInputs: scannedInputs, stackedOutputs: stackedOutputs, outerInputs: subgraph.outerInputs,
                                scratch: scratch ?? Scratch())
        // The enclosing constants the body reads are its own constants now.
        let implicitInputs = node.inputs.count..<(node.inputs.count + node.implicitInputs.count)
        return PreparedKernel(kernel: kernel, outputTypes: outputTypes,
                              packedInputs: implicitInputs.filter { !subgraph.outerInputs.contains($0) })
    }

    /// How each scanned input is sliced, and the slices' types (the input's without its
    /// scan axis). All scanned inputs must have the same length along their axes.
    private static func scannedInputSlices(_ context: KernelContext, _ attributes: ScanAttributes, stateCount: Int)
        throws(RuntimeError) -> ([AxisSlices], [ValueType])
    {
        let count = attributes.scanInputCount
        let axes = try perTensor(attributes.scanInputAxes, count: count, "scan_input_axes", context)
        let directions = try perTensor(attributes.scanInputDirections, count: count, "scan_input_directions", context)
        var scanned: [AxisSlices] = [], slices: [ValueType] = []
        for offset in 0..<count {
            let type = try context.type(stateCount + offset)
            guard type.rank >= 1 else { throw context.fail("scanned input '\(context.node.inputs[stateCount + offset])' is a scalar") }
            let axis = try context.axis(axes[offset], rank: type.rank, name: "scan_input_axes")
            let input = AxisSlices(shape: type.shape, axis: axis, elementBytes: type.dtype.byteSize, reversed: directions[offset] == 1)
            if let first = scanned.first, first.length != input.length {
                throw context.fail("scanned inputs have different lengths, \(first.length) and \(input.length)")
            }
            scanned.append(input)
            var shape = type.shape
            shape.remove(at: axis)
            slices.append(ValueType(type.dtype, shape))
        }
        return (scanned, slices)
    }

    /// An attribute with one value per scanned input or per-step output; 0 for each when absent.
    private static func perTensor(_ values: [Int]?, count: Int, _ name: String, _ context: KernelContext)
        throws(RuntimeError) -> [Int]
    {
        guard let values else { return Array(repeating: 0, count: count) }
        guard values.count == count else { throw context.fail("\(name) has \(values.count) values for \(count) tensors") }
        return values
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let body, let base = io.scratch else { return }
        let inputs = scratch.inputTable(in: base)
        let memory = scratch.bodyMemory(in: base, stream: io.stream)
        for state in 0..<stateCount { inputs[state] = io.input(state) }
        for (slot, position) in outerInputs.enumerated() { inputs[stateCount + scannedInputs.count + slot] = io.input(position) }
        if length == 0 {
            for state in 0..<stateCount { io.optionalOutput(state)?.copyMemory(from: io.input(state), byteCount: stateBytes[state]) }
            return
        }
        for step in 0..<length {
            for (index, slices) in scannedInputs.enumerated() {
                let tensor = io.input(stateCount + index)
                if let buffer = scratch.sliceBuffers[index] {
                    slices.gather(step: step, from: tensor, into: base + buffer)
                    inputs[stateCount + index] = UnsafeRawPointer(base + buffer)
                } else {
                    inputs[stateCount + index] = tensor + slices.offset(step: step)
                }
            }
            let addresses = UnsafeBufferPointer(start: inputs, count: scratch.inputCount)
            try body.execute(inputs: addresses, in: memory)
            func result(_ output: Int) -> UnsafeRawPointer {
                body.address(of: body.outputs[output].location, inputs: addresses, arena: memory.arena)
            }
            for (offset, slices) in stackedOutputs.enumerated() {
                guard let output = io.optionalOutput(stateCount + offset) else { continue }
                slices.scatter(step: step, from: result(stateCount + offset), into: output)
            }
            // Every state is copied before the table changes: a body may return one of its
            // inputs as a state, which the table still has to point at.
            let isLast = step == length - 1
            for state in 0..<stateCount {
                let destination = isLast ? io.optionalOutput(state) : base + scratch.stateSets[step % 2][state]
                destination?.copyMemory(from: result(state), byteCount: stateBytes[state])
            }
            if !isLast {
                for state in 0..<stateCount { inputs[state] = UnsafeRawPointer(base + scratch.stateSets[step % 2][state]) }
            }
        }
    }

    /// Where the per-run buffers lie in the kernel's scratch, as byte offsets.
    struct Scratch: Sendable {
        private(set) var byteCount = 0
        private(set) var bodyArena = 0
        /// The state buffers the steps alternate between: two sets (one for two steps, none
        /// for one, whose only step writes the final states).
        private(set) var stateSets: [[Int]] = []
        /// A gathered slice per scanned input, nil where slices are read in place.
        private(set) var sliceBuffers: [Int?] = []
        /// The body's input addresses: states, slices, then enclosing values.
        private(set) var inputCount = 0
        private var inputTableOffset = 0
        private var operandCount = 0
        private var operandTablesOffset = 0

        init() {}

        init(body: ExecutionPlan, length: Int, stateBytes: [Int], scannedInputs: [AxisSlices], inputCount: Int) {
            bodyArena = reserve(body.arenaByteCount)
            stateSets = (0..<min(2, max(length - 1, 0))).map { _ in stateBytes.map { reserve($0) } }
            sliceBuffers = scannedInputs.map { $0.isContiguous ? nil : reserve($0.sliceBytes) }
            self.inputCount = inputCount
            inputTableOffset = reserve(inputCount * MemoryLayout<UnsafeRawPointer>.stride)
            operandCount = body.operandCount
            operandTablesOffset = reserve(2 * operandCount * MemoryLayout<UnsafeRawPointer>.stride)
        }

        private mutating func reserve(_ bytes: Int) -> Int {
            defer { byteCount += MemoryPlanner.aligned(bytes) }
            return byteCount
        }

        func inputTable(in base: UnsafeMutableRawPointer) -> UnsafeMutablePointer<UnsafeRawPointer> {
            (base + inputTableOffset).bindMemory(to: UnsafeRawPointer.self, capacity: inputCount)
        }

        /// The memory the body's steps run in: its arena and operand tables, in this scratch.
        func bodyMemory(in base: UnsafeMutableRawPointer, stream: DNNLStream?) -> RunMemory {
            let tables = base + operandTablesOffset
            return RunMemory(
                arena: base + bodyArena, stream: stream,
                inputTable: tables.bindMemory(to: UnsafeRawPointer?.self, capacity: operandCount),
                outputTable: (tables + operandCount * MemoryLayout<UnsafeRawPointer>.stride)
                    .bindMemory(to: UnsafeMutableRawPointer?.self, capacity: operandCount))
        }
    }
}
