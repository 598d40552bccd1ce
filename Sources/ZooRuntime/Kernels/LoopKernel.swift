import ZooGraph
import ZooTensor

/// ONNX Loop: runs the body while `i < M` (when M is given) and the condition holds, carrying
/// values from one iteration to the next and stacking the per-iteration outputs along a new
/// first axis.
///
/// When the output shapes are known before running (the carried values keep their types and,
/// if the loop stacks outputs, the number of iterations is known: a constant M and a
/// condition that cannot stop the loop early), the body is compiled once per node compilation
/// and runs in this kernel's scratch: its arena, two sets of carried values that iterations
/// alternate between, the iteration number and condition the body reads, and its address
/// table; M and the condition are then read at run time. Otherwise the output shapes depend on
/// the values the loop computes, so every input must be known before running
/// (`requiredConstant`): the loop is evaluated while the plan is made (LoopEvaluation) and
/// the kernel writes its results. Either way more than `ControlFlowOp.maximumIterations`
/// iterations is an error, not a hang.
struct LoopKernel: Kernel {
    let nodeName: String
    let body: ExecutionPlan?
    let carriedBytes: [Int]
    /// Bytes of one iteration of each stacked output the node names.
    let perIterationBytes: [Int]
    /// Whether input 0 (M) and input 1 (the initial condition) are given.
    let hasTripCount: Bool
    let hasCondition: Bool
    /// Kernel-input positions of the enclosing values the body takes as inputs.
    let outerInputs: [Int]
    let layout: Layout

    var scratchByteCount: Int { layout.scratch.byteCount }

    /// Where the iteration number, the condition and the carried values lie in the scratch.
    struct Layout: Sendable {
        var scratch = SubgraphScratch()
        var iteration = 0
        var condition = 0
        var carriedSets: [[Int]] = []
    }

    static func prepare(_ context: KernelContext, _ body: Graph) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let node = context.node
        let carriedCount = node.inputs.count - 2
        let stackedCount = max(node.outputs.count - carriedCount, 0)
        guard body.inputs.count == carriedCount + 2, body.outputs.count >= 1 + carriedCount + stackedCount else {
            throw context.fail("a body of \(body.inputs.count) inputs and \(body.outputs.count) outputs does not fit \(carriedCount) carried values and \(node.outputs.count) outputs")
        }
        try requireScalar(context, 0, .int64, role: "trip count")
        try requireScalar(context, 1, .bool, role: "condition")
        var carried: [ValueType] = []
        for index in 0..<carriedCount { carried.append(try context.type(2 + index)) }
        let kept = Array(0..<(1 + carriedCount + stackedCount))
        let bodyPlan = try SubgraphPlan(body, inputTypes: [ValueType(.int64, []), ValueType(.bool, [])] + carried,
                                        keptOutputs: kept, firstImplicitInput: node.inputs.count, context)
        let keepsTypes = bodyPlan.outputTypes[1...carriedCount].elementsEqual(carried)
        let iterations = try staticIterationCount(context, body)
        guard keepsTypes, stackedCount == 0 || iterations != nil else {
            return try LoopEvaluation.prepare(context, body, carriedCount: carriedCount, stackedCount: stackedCount)
        }
        if let iterations, iterations > ControlFlowOp.maximumIterations {
            throw context.fail("trip count M = \(iterations) is more than the \(ControlFlowOp.maximumIterations) iterations a Loop may run")
        }
        let perIteration = Array(bodyPlan.outputTypes[(1 + carriedCount)...])
        let outputTypes = carried + perIteration.map { ValueType($0.dtype, [iterations ?? 0] + $0.shape) }
        for (type, name) in zip(outputTypes, node.outputs) { try context.requireAllocatable(type, value: name) }

        var layout = Layout()
        if let plan = bodyPlan.plan {
            layout.scratch = SubgraphScratch(plans: [plan], inputCount: 2 + carriedCount + bodyPlan.outerInputs.count)
            layout.iteration = layout.scratch.reserve(MemoryLayout<Int64>.size)
            layout.condition = layout.scratch.reserve(1)
            layout.carriedSets = (0..<2).map { _ in carried.map { layout.scratch.reserve($0.byteCount) } }
        }
        let kernel = LoopKernel(
            nodeName: node.name, body: bodyPlan.plan, carriedBytes: carried.map(\.byteCount),
            perIterationBytes: perIteration.map(\.byteCount),
            hasTripCount: node.input(0) != nil, hasCondition: node.input(1) != nil,
            outerInputs: bodyPlan.outerInputs, layout: layout)
        // The enclosing constants the body reads are its own constants now.
        let implicitInputs = node.inputs.count..<(node.inputs.count + node.implicitInputs.count)
        return PreparedKernel(kernel: kernel, outputTypes: outputTypes,
                              packedInputs: implicitInputs.filter { !bodyPlan.outerInputs.contains($0) })
    }

    /// The number of iterations when it is known before running: M and the condition are
    /// constants (or absent) and the body cannot turn the condition false. nil otherwise; an
    /// error for a loop that would never stop.
    private static func staticIterationCount(_ context: KernelContext, _ body: Graph) throws(RuntimeError) -> Int? {
        let condition = context.node.input(1) == nil ? true : context.constant(1)?.integerValues.map { $0.first != 0 }
        guard ControlFlowOp.conditionStays(in: body), let condition else { return nil }
        guard condition else { return 0 }
        guard context.node.input(0) != nil else { throw context.fail("has no trip count and its condition stays true: it would never stop") }
        guard let tripCount = context.constant(0)?.integerValues?.first else { return nil }
        return max(tripCount, 0)
    }

    /// M and the condition, when given, are one-element tensors of their dtypes.
    private static func requireScalar(_ context: KernelContext, _ index: Int, _ dtype: DType, role: String) throws(RuntimeError) {
        guard context.node.input(index) != nil else { return }
        let type = try context.type(index)
        guard type.dtype == dtype, type.shape.allSatisfy({ $0 == 1 }) else {
            throw context.fail("the \(role) '\(context.node.inputs[index])' is \(type), not a one-element \(dtype) tensor")
        }
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let body, let base = io.scratch else { return }
        let carriedCount = carriedBytes.count
        let tripCount = hasTripCount ? Int(io.input(0).load(as: Int64.self)) : Int.max
        var condition = hasCondition ? io.input(1).load(as: UInt8.self) != 0 : true
        let table = layout.scratch.inputTable(in: base)
        let iteration = base + layout.iteration, conditionSlot = base + layout.condition
        table[0] = UnsafeRawPointer(iteration)
        table[1] = UnsafeRawPointer(conditionSlot)
        for index in 0..<carriedCount { table[2 + index] = io.input(2 + index) }
        for (slot, position) in outerInputs.enumerated() { table[2 + carriedCount + slot] = io.input(position) }
        var step = 0
        while step < tripCount && condition {
            guard step < ControlFlowOp.maximumIterations else {
                throw .shape(node: nodeName, op: "Loop", message: "ran \(ControlFlowOp.maximumIterations) iterations without stopping, the most a Loop may run")
            }
            iteration.storeBytes(of: Int64(step), as: Int64.self)
            conditionSlot.storeBytes(of: condition ? 1 : 0, as: UInt8.self)
            let result = try layout.scratch.run(body, in: base, stream: io.stream)
            condition = result(0).load(as: UInt8.self) != 0
            for (offset, bytes) in perIterationBytes.enumerated() {
                io.optionalOutput(carriedCount + offset)?.advanced(by: step * bytes)
                    .copyMemory(from: result(1 + carriedCount + offset), byteCount: bytes)
            }
            // Every carried value is copied before the table changes: the body may return one
            // of its inputs, which the table still points at.
            let set = layout.carriedSets[step % 2]
            for index in 0..<carriedCount {
                (base + set[index]).copyMemory(from: result(1 + index), byteCount: carriedBytes[index])
            }
            for index in 0..<carriedCount { table[2 + index] = UnsafeRawPointer(base + set[index]) }
            step += 1
        }
        for index in 0..<carriedCount {
            io.optionalOutput(index)?.copyMemory(from: table[2 + index], byteCount: carriedBytes[index])
        }
    }
}
