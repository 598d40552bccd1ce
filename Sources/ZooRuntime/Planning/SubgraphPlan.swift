import ZooGraph
import ZooTensor

/// A subgraph (a Scan's or Loop's body, an If's branch) compiled through the executor's own path (PlanGraph, the
/// session's passes, ExecutionPlan) at the input types its node passes it now. The values of
/// the enclosing graph it reads are bound first: those known at compile time become its
/// initializers, so its kernels see constant weights (prepacked by oneDNN, folded with other
/// constants); the others become inputs after its own, whose addresses the node passes on at
/// run time.
struct SubgraphPlan {
    /// The compiled subgraph; nil when the node is prepared for its output types only.
    let plan: ExecutionPlan?
    /// The types of the outputs kept, in order.
    let outputTypes: [ValueType]
    /// The node's kernel-input positions of the enclosing values bound as inputs, in the
    /// order they follow the subgraph's own inputs.
    let outerInputs: [Int]

    /// Compiles `subgraph`, keeping the outputs at `keptOutputs` (the passes drop the work of
    /// the others). The node's implicit inputs are its kernel inputs from `firstImplicitInput`
    /// on, read by the subgraph under the names `context.node.subgraphReferences`.
    /// With `compiling`, the plan is compiled even while the node is prepared for its output
    /// types only (a Loop evaluated at plan time runs it).
    init(_ subgraph: Graph, inputTypes: [ValueType], keptOutputs: [Int], firstImplicitInput: Int,
         _ context: KernelContext, compiling: Bool = false) throws(RuntimeError) {
        var graph = subgraph
        for (index, type) in inputTypes.enumerated() { graph.inputs[index].type = Self.tensorType(type) }
        var inputShapes = inputTypes.map(\.shape)
        var outerInputs: [Int] = []
        // An If's branch reads only some of the node's implicit inputs; the names of the
        // others may be its own values.
        let reads = Set(subgraph.outerScopeReferences)
        for (offset, reference) in context.node.subgraphReferences.enumerated() where reads.contains(reference) {
            let position = firstImplicitInput + offset
            if let constant = context.constant(position) {
                graph.initializers.append(Graph.Initializer(name: reference, tensor: constant))
            } else {
                let type = try context.type(position)
                graph.inputs.append(ValueInfo(name: reference, type: Self.tensorType(type)))
                inputShapes.append(type.shape)
                outerInputs.append(position)
            }
        }
        graph.outputs = keptOutputs.map { graph.outputs[$0] }

        do throws(RuntimeError) {
            var planGraph = try PlanGraph(graph, inputShapes: inputShapes)
            try planGraph.apply(context.options)
            var outputTypes: [ValueType] = []
            for output in graph.outputs {
                guard let type = planGraph.types[output.name] else { throw .invalidGraph(.undefinedOutput(value: output.name)) }
                outputTypes.append(type)
            }
            self.outputTypes = outputTypes
            // The plan's own run contexts stay unused (the caller runs it in memory it carves
            // from its scratch), so its allocation counter does too.
            plan = context.compilesPrimitives || compiling
                ? try ExecutionPlan(planGraph, options: context.options, allocations: AllocationCounter()) : nil
        } catch {
            throw error.inSubgraph(of: context.node.name)
        }
        self.outerInputs = outerInputs
    }

    private static func tensorType(_ type: ValueType) -> TensorType {
        TensorType(type.dtype, type.shape.map(Dim.fixed))
    }
}

extension RuntimeError {
    /// The error with the node it names qualified by the node holding the subgraph
    /// (`scan/step.gates`), so that a failure inside a body says which body.
    fileprivate func inSubgraph(of holder: String) -> RuntimeError {
        switch self {
        case .unsupported(let node, let op, let reason): .unsupported(node: "\(holder)/\(node)", op: op, reason: reason)
        case .shape(let node, let op, let message): .shape(node: "\(holder)/\(node)", op: op, message: message)
        case .dnnl(let node, let call, let status): .dnnl(node: "\(holder)/\(node)", call: call, status: status)
        default: self
        }
    }
}
