import Foundation
import ZooGraph
import ZooTensor

/// A Loop whose output shapes depend on the values it computes (the number of iterations, or
/// carried values that change shape), evaluated while the plan is made: every input of the
/// node, the enclosing values its body reads included, must be a constant by then (the
/// planner computes those known only at run time first, then plans again). The body is
/// compiled for each set of input types it meets and run on tensors; the kernel then writes
/// the results.
enum LoopEvaluation {
    static func prepare(_ context: KernelContext, _ body: Graph, carriedCount: Int, stackedCount: Int)
        throws(RuntimeError) -> PreparedKernel
    {
        let node = context.node
        var inputs: [Tensor?] = []
        for index in 0..<(node.inputs.count + node.implicitInputs.count) {
            let isImplicit = index >= node.inputs.count
            guard isImplicit || node.input(index) != nil else { inputs.append(nil); continue }
            guard let value = context.constant(index) else {
                let name = isImplicit ? node.implicitInputs[index - node.inputs.count] : node.inputs[index]
                let role = isImplicit ? "a value its body reads" : index == 0 ? "trip count" : index == 1 ? "condition" : "carried value"
                throw RuntimeError.runTimeValue(node: node.name, op: "Loop", input: name, role: role)
            }
            inputs.append(value)
        }
        let results = try evaluate(context, body, inputs: inputs, carriedCount: carriedCount, stackedCount: stackedCount)
        for (result, name) in zip(results, node.outputs) { try context.requireAllocatable(ValueType(of: result), value: name) }
        return PreparedKernel(kernel: ResultsKernel(results: results), outputTypes: results.map(ValueType.init(of:)))
    }

    private static func evaluate(_ context: KernelContext, _ body: Graph, inputs: [Tensor?], carriedCount: Int,
                                 stackedCount: Int) throws(RuntimeError) -> [Tensor] {
        let tripCount = inputs[0]?.integerValues?.first ?? Int.max
        var condition = inputs[1].map { $0.integerValues?.first != 0 } ?? true
        var carried = inputs[2..<(2 + carriedCount)].compactMap { $0 }
        let kept = Array(0..<(1 + carriedCount + stackedCount))
        var plans: [[ValueType]: SubgraphPlan] = [:]
        func plan(for types: [ValueType]) throws(RuntimeError) -> SubgraphPlan {
            if let known = plans[types] { return known }
            let compiled = try SubgraphPlan(body, inputTypes: types, keptOutputs: kept,
                                            firstImplicitInput: context.node.inputs.count, context, compiling: true)
            plans[types] = compiled
            return compiled
        }
        let scalarTypes = [ValueType(.int64, []), ValueType(.bool, [])]
        // The first iteration's types give the stacked outputs' types even when none runs.
        let first = try plan(for: scalarTypes + carried.map(ValueType.init(of:)))
        var stacked: [[Tensor]] = Array(repeating: [], count: stackedCount)
        var step = 0
        while step < tripCount && condition {
            guard step < ControlFlowOp.maximumIterations else {
                throw context.fail("ran \(ControlFlowOp.maximumIterations) iterations without stopping, the most a Loop may run")
            }
            let iterationInputs = [Tensor(scalar: Int64(step)), Tensor(scalar: condition)] + carried
            let compiled = try plan(for: iterationInputs.map(ValueType.init(of:)))
            guard let executable = compiled.plan else { throw context.fail("the body was not compiled") }
            let outputs = try run(executable, inputs: iterationInputs, types: compiled.outputTypes)
            condition = outputs[0].integerValues?.first != 0
            carried = Array(outputs[1...carriedCount])
            for offset in 0..<stackedCount { stacked[offset].append(outputs[1 + carriedCount + offset]) }
            step += 1
        }
        var results = carried
        for (offset, values) in stacked.enumerated() {
            let type = values.first.map(ValueType.init(of:)) ?? first.outputTypes[1 + carriedCount + offset]
            results.append(try stack(values, type: type, context))
        }
        return results
    }

    /// Runs `plan` once on `inputs` in memory of its own and copies its outputs out.
    private static func run(_ plan: ExecutionPlan, inputs: [Tensor], types: [ValueType]) throws(RuntimeError) -> [Tensor] {
        let context = try RunContext(arenaByteCount: plan.arenaByteCount, operandCount: plan.operandCount)
        let addresses = inputs.map(\.unsafeAddress)
        var outputs: [Tensor] = []
        try addresses.withUnsafeBufferPointer { (table) throws(RuntimeError) in
            try plan.execute(inputs: table, in: context.memory)
            for (output, type) in zip(plan.outputs, types) {
                let address = plan.address(of: output.location, inputs: table, arena: context.memory.arena)
                do throws(TensorError) {
                    outputs.append(try Tensor(dtype: type.dtype, shape: type.shape,
                                              bytes: UnsafeRawBufferPointer(start: address, count: type.byteCount)))
                } catch { throw .tensor(error) }
            }
        }
        withExtendedLifetime(inputs) {}
        return outputs
    }

    /// The per-iteration values of one output stacked along a new first axis; all must have
    /// one type.
    private static func stack(_ values: [Tensor], type: ValueType, _ context: KernelContext) throws(RuntimeError) -> Tensor {
        var bytes: [UInt8] = []
        for value in values {
            guard ValueType(of: value) == type else {
                throw context.fail("a per-iteration output is \(ValueType(of: value)) in one iteration and \(type) in another; they must not change")
            }
            value.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        do { return try Tensor(dtype: type.dtype, shape: [values.count] + type.shape, bytes: bytes) } catch { throw .tensor(error) }
    }
}

/// Writes values computed while the plan was made (a Loop evaluated then) to the outputs.
struct ResultsKernel: Kernel {
    let results: [Tensor]

    func run(_ io: KernelIO) throws(RuntimeError) {
        for (index, result) in results.enumerated() {
            io.optionalOutput(index)?.copyMemory(from: result.unsafeAddress, byteCount: result.byteCount)
        }
    }
}
