extension PlanGraph {
    /// Gives every value its concrete type by preparing each node's kernel in shapes-only
    /// mode (cheap: no oneDNN primitives). With `folding`, a node whose inputs are all
    /// constant, or a Shape node (its value follows from the fixed shapes), is evaluated now
    /// and replaced by its results as constants. A node whose outputs are all known already
    /// (values the plan is specialised on) is dropped.
    mutating func propagateTypes(options: SessionOptions, folding: Bool) throws(RuntimeError) {
        var kept: [PlanNode] = []
        for node in nodes {
            let produced = node.outputs.filter { !$0.isEmpty }
            if !produced.isEmpty, produced.allSatisfy({ constants[$0] != nil }) { continue }
            let isShape = if case .shape = node.op { true } else { false }
            let foldable = folding && (isShape || node.allInputs.allSatisfy { constants[$0] != nil })
            let context = KernelContext(
                node: node, inputTypes: node.kernelInputs.map { types[$0] }, constants: node.kernelInputs.map { constants[$0] },
                options: options, compilesPrimitives: foldable)
            let prepared = try KernelFactory.prepare(context)
            for (output, type) in zip(node.outputs, prepared.outputTypes) where !output.isEmpty { types[output] = type }
            guard foldable else {
                kept.append(node)
                continue
            }
            let results = try KernelEvaluation.evaluate(prepared, inputs: context.constants, outputNames: node.outputs)
            for (output, result) in zip(node.outputs, results) where !output.isEmpty { constants[output] = result }
        }
        nodes = kept
    }
}
