import ZooTensor

extension NodeContext {
    /// If and Loop: infers each subgraph with the enclosing graphs' values in view (as a Scan
    /// body), then the node's outputs from what the subgraphs return.
    func inferControlFlow(_ op: ControlFlowOp) throws(GraphError) -> (outputs: [Output], subgraphs: [ShapeInference.Result]) {
        guard scope.depth <= Graph.maximumSubgraphDepth else {
            throw fail("nests subgraphs more than \(Graph.maximumSubgraphDepth) levels deep")
        }
        switch op {
        case .if(let thenBranch, let elseBranch): return try inferIf(thenBranch, elseBranch)
        case .loop(let body): return try inferLoop(body)
        }
    }

    /// If: both branches return the node's outputs. Where their types differ, the output has
    /// the chosen branch's type when the condition is a constant, and otherwise a fresh dim
    /// where the sizes differ (the same dtype and rank are required then).
    private func inferIf(_ thenBranch: Graph, _ elseBranch: Graph) throws(GraphError)
        -> (outputs: [Output], subgraphs: [ShapeInference.Result])
    {
        let condition = try type(0)
        guard condition.dtype == .bool else {
            throw .dtype(node: node.name, op: opName, input: node.inputs[0], expected: "bool", actual: condition.dtype)
        }
        var returned: [[TensorType]] = [], inferences: [ShapeInference.Result] = []
        for (name, branch) in [("then_branch", thenBranch), ("else_branch", elseBranch)] {
            guard branch.inputs.isEmpty else { throw badAttribute(name, "takes \(branch.inputs.count) inputs; a branch takes none") }
            guard branch.outputs.count == node.outputs.count else {
                throw badAttribute(name, "returns \(branch.outputs.count) outputs for the node's \(node.outputs.count)")
            }
            let inference: ShapeInference.Result, types: [TensorType]
            do { (inference, types) = try inferSubgraph(branch, inputTypes: []) } catch {
                // ONNX lets the branch that is not taken be invalid for these types (the 2-D
                // branch of a 3-D AffineGrid): which one runs must then be known.
                guard constants[0] != nil else {
                    throw .nonConstantInput(node: node.name, op: opName, input: node.inputs[0],
                                            role: "condition, since \(name) cannot be typed here")
                }
                throw error
            }
            returned.append(types)
            inferences.append(inference)
        }
        let chosen = constants[0]?.integerValues.map { $0.first != 0 }
        var outputs: [Output] = []
        for (index, (whenTrue, whenFalse)) in zip(returned[0], returned[1]).enumerated() {
            if let chosen {
                outputs.append(Output(type: chosen ? whenTrue : whenFalse))
                continue
            }
            guard whenTrue.dtype == whenFalse.dtype, whenTrue.rank == whenFalse.rank else {
                throw fail("output '\(node.outputs[index])' is \(whenTrue) from then_branch and \(whenFalse) from else_branch; different dtypes or ranks need a constant condition")
            }
            outputs.append(Output(type: merged(whenTrue, whenFalse, output: index)))
        }
        return (outputs, inferences)
    }

    /// Loop: the body sees the iteration number, the condition and the carried values; the
    /// stacked outputs' first dim is the iteration count when it is known before running (a
    /// constant M and a condition that cannot stop the loop early), a fresh dim otherwise.
    private func inferLoop(_ body: Graph) throws(GraphError) -> (outputs: [Output], subgraphs: [ShapeInference.Result]) {
        let carriedCount = node.inputs.count - 2
        guard body.inputs.count == carriedCount + 2 else {
            throw badAttribute("body", "takes \(body.inputs.count) inputs; the node passes the iteration number, the condition and \(carriedCount) carried values")
        }
        let perIterationCount = body.outputs.count - 1 - carriedCount
        guard perIterationCount >= 0, node.outputs.count <= carriedCount + perIterationCount else {
            throw badAttribute("body", "returns \(body.outputs.count) outputs: the condition, \(carriedCount) carried values and per-iteration values must cover the node's \(node.outputs.count)")
        }
        if let tripCount = optionalType(0) { try requireScalar(0, tripCount, dtype: .int64) }
        if let condition = optionalType(1) { try requireScalar(1, condition, dtype: .bool) }
        let carried = try (0..<carriedCount).map { (index: Int) throws(GraphError) in try type(2 + index) }
        for (index, type) in carried.enumerated()
            where body.inputs[2 + index].isDeclared && !Self.compatible(body.inputs[2 + index].type, type) {
            throw fail("body input '\(body.inputs[2 + index].name)' is declared \(body.inputs[2 + index].type), but receives \(type)")
        }
        let passed = [TensorType(.int64, []), TensorType(.bool, [])] + carried
        let (inference, returned) = try inferSubgraph(body, inputTypes: passed)
        guard returned[0].dtype == .bool, returned[0].dims.allSatisfy({ $0.value == 1 }) else {
            throw fail("body output '\(body.outputs[0].name)' (the condition) is \(returned[0]), not a bool scalar")
        }
        var outputs: [Output] = []
        for index in 0..<carriedCount {
            let next = returned[1 + index]
            guard next.dtype == carried[index].dtype, next.rank == carried[index].rank else {
                throw fail("body output '\(body.outputs[1 + index].name)' is \(next), but carries '\(node.inputs[2 + index])' of \(carried[index])")
            }
            outputs.append(Output(type: merged(carried[index], next, output: index)))
        }
        let iterations = try staticIterationCount(body)
        for offset in 0..<perIterationCount {
            let output = carriedCount + offset
            let first = iterations.map(Dim.fixed) ?? .symbolic("\(node.name):\(output).0")
            let perIteration = returned[1 + output]
            outputs.append(Output(type: TensorType(perIteration.dtype, [first] + perIteration.dims)))
        }
        return (Array(outputs.prefix(node.outputs.count)), [inference])
    }

    /// The number of iterations when it is known before running: M is a constant and the
    /// condition starts known and stays so (the body returns its condition input, or true).
    /// A known count above `ControlFlowOp.maximumIterations`, or a loop that never stops, is
    /// an error; a large M with a condition that may stop the loop is not (PyTorch writes
    /// while loops so, with M = 2^63 - 1).
    private func staticIterationCount(_ body: Graph) throws(GraphError) -> Int? {
        let initialCondition = node.input(1) == nil ? true : constants[1]?.integerValues.map { $0.first != 0 }
        guard ControlFlowOp.conditionStays(in: body), let initialCondition else { return nil }
        guard initialCondition else { return 0 }
        guard node.input(0) != nil else { throw fail("has no trip count and its condition stays true: it would never stop") }
        guard let tripCount = constants[0]?.integerValues?.first else { return nil }
        guard tripCount <= ControlFlowOp.maximumIterations else {
            throw fail("trip count M = \(tripCount) is more than the \(ControlFlowOp.maximumIterations) iterations a Loop may run")
        }
        return max(tripCount, 0)
    }

    /// Infers `graph` with `inputTypes` for its inputs (declared types stand for the rest)
    /// and returns the types of its outputs.
    private func inferSubgraph(_ graph: Graph, inputTypes: [TensorType]) throws(GraphError)
        -> (ShapeInference.Result, [TensorType])
    {
        var typed = graph
        for (index, type) in inputTypes.enumerated() { typed.inputs[index].type = type }
        let inference: ShapeInference.Result
        do { inference = try ShapeInference.run(typed, enclosing: scope) } catch {
            throw .subgraph(node: node.name, op: opName, error)
        }
        return (inference, graph.outputs.map { inference.types[$0.name] ?? scope.types[$0.name] ?? $0.type })
    }

    /// A one-element tensor of `dtype` (a trip count or condition).
    private func requireScalar(_ index: Int, _ type: TensorType, dtype: DType) throws(GraphError) {
        guard type.dtype == dtype else {
            throw .dtype(node: node.name, op: opName, input: node.inputs[index], expected: "\(dtype)", actual: type.dtype)
        }
        guard type.dims.allSatisfy({ $0.value == 1 }) else { throw fail("input '\(node.inputs[index])' is \(type), not a scalar") }
    }

    /// `a`'s dims where `b` agrees, a fresh dim for output `output` where they differ.
    private func merged(_ a: TensorType, _ b: TensorType, output: Int) -> TensorType {
        TensorType(a.dtype, zip(a.dims, b.dims).enumerated().map { axis, pair in
            pair.0 == pair.1 ? pair.0 : .symbolic("\(node.name):\(output).\(axis)")
        })
    }
}
