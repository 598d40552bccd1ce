import ZooGraph
import ZooTensor

/// ONNX If: runs the branch the condition (a one-element bool tensor) chooses and copies its
/// outputs to the node's.
///
/// Both branches are compiled once per node compilation (nested plans, see SubgraphPlan) and
/// run in this kernel's scratch. When the branches' output types agree, the condition is read
/// at run time. When they differ the node's output types depend on the condition's value,
/// so it must be known before running (`requiredConstant`); the chosen branch is then the
/// only one kept, as it is whenever the condition is a constant.
struct IfKernel: Kernel {
    /// A compiled branch and the kernel-input positions of the enclosing values it takes.
    struct Branch: Sendable {
        let plan: ExecutionPlan
        let outerInputs: [Int]
    }

    /// Then at 0, else at 1; nil for a branch that cannot be chosen (or when only output
    /// types are prepared).
    let branches: [Branch?]
    let outputBytes: [Int]
    let scratch: SubgraphScratch

    var scratchByteCount: Int { scratch.byteCount }

    static func prepare(_ context: KernelContext, _ thenBranch: Graph, _ elseBranch: Graph) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let node = context.node
        let condition = try context.type(0)
        guard condition.dtype == .bool, condition.shape.allSatisfy({ $0 == 1 }) else {
            throw context.fail("the condition '\(node.inputs[0])' is \(condition), not a one-element bool tensor")
        }
        var compiled: [SubgraphPlan] = []
        for branch in [thenBranch, elseBranch] {
            guard branch.inputs.isEmpty, branch.outputs.count == node.outputs.count else {
                throw context.fail("a branch takes \(branch.inputs.count) inputs and returns \(branch.outputs.count) outputs; it must take none and return the node's \(node.outputs.count)")
            }
            compiled.append(try SubgraphPlan(branch, inputTypes: [], keptOutputs: Array(node.outputs.indices),
                                             firstImplicitInput: 1, context))
        }
        var chosen = try context.constant(0).map { (tensor: Tensor) throws(RuntimeError) in try Self.isTrue(tensor, context) }
        if chosen == nil, compiled[0].outputTypes != compiled[1].outputTypes {
            guard let tensor = try context.requiredConstant(0, role: "condition") else { throw context.fail("the condition is required") }
            chosen = try Self.isTrue(tensor, context)
        }
        let kept: [Int] = chosen.map { [$0 ? 0 : 1] } ?? [0, 1]
        let branches: [Branch?] = compiled.indices.map { index in
            guard kept.contains(index), let plan = compiled[index].plan else { return nil }
            return Branch(plan: plan, outerInputs: compiled[index].outerInputs)
        }
        let outputTypes = compiled[kept[0]].outputTypes
        for (type, name) in zip(outputTypes, node.outputs) { try context.requireAllocatable(type, value: name) }
        let plans = branches.compactMap { $0?.plan }
        let inputCount = branches.map { $0?.outerInputs.count ?? 0 }.max() ?? 0
        let kernel = IfKernel(branches: branches, outputBytes: outputTypes.map(\.byteCount),
                              scratch: plans.isEmpty ? SubgraphScratch() : SubgraphScratch(plans: plans, inputCount: inputCount))
        // The enclosing constants the kept branches read are their own constants now.
        let read = Set(kept.flatMap { compiled[$0].outerInputs })
        let implicitInputs = 1..<(1 + node.implicitInputs.count)
        return PreparedKernel(kernel: kernel, outputTypes: outputTypes, packedInputs: implicitInputs.filter { !read.contains($0) })
    }

    private static func isTrue(_ condition: Tensor, _ context: KernelContext) throws(RuntimeError) -> Bool {
        guard let values = condition.integerValues, values.count == 1 else {
            throw context.fail("the condition must be one bool value, got \(condition.dtype) \(condition.shape)")
        }
        return values[0] != 0
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let base = io.scratch else { return }
        // With both branches kept, the condition decides; with one, it is the one.
        let chosen = branches.count == 2 && branches[0] != nil && branches[1] != nil
            ? (io.input(0).load(as: UInt8.self) != 0 ? 0 : 1)
            : (branches[0] != nil ? 0 : 1)
        guard let branch = branches[chosen] else { return }
        let table = scratch.inputTable(in: base)
        for (slot, position) in branch.outerInputs.enumerated() { table[slot] = io.input(position) }
        let result = try scratch.run(branch.plan, in: base, stream: io.stream)
        for (index, bytes) in outputBytes.enumerated() {
            io.optionalOutput(index)?.copyMemory(from: result(index), byteCount: bytes)
        }
    }
}
