import ZooTensor

/// Validates a graph and infers the type of every value, in one pass over the nodes in
/// topological order. Structural problems (undefined or doubly defined values, cycles,
/// wrong arity) are found before any shape is computed.
public enum ShapeInference {
    public struct Result: Sendable {
        /// Types of graph inputs, initializers and every node output.
        public var types: [String: TensorType]
        /// Node indices in an order where every producer precedes its consumers.
        public var order: [Int]
        /// Values known before running: initializers, Constant outputs, Shapes of static types.
        public var constants: [String: Tensor]
        /// The inferences of each node's subgraphs (a Scan's or Loop's body, an If's two
        /// branches, in `Op.subgraphs` order), by node name, with the types they see of this graph.
        public var subgraphs: [String: [Result]]

        /// The inference of subgraph `position` of the node named `node`.
        public func subgraph(_ position: Int, of node: String) -> Result? {
            guard let inferences = subgraphs[node], position < inferences.count else { return nil }
            return inferences[position]
        }
    }

    public static func run(_ graph: Graph) throws(GraphError) -> Result {
        try run(graph, enclosing: EnclosingScope())
    }

    /// Infers `graph` as a subgraph that may read the values of `enclosing` by name.
    static func run(_ graph: Graph, enclosing: EnclosingScope) throws(GraphError) -> Result {
        var types: [String: TensorType] = [:]
        var constants: [String: Tensor] = [:]
        var dimValues: [String: [Dim]] = [:]
        let graphInputNames = Set(graph.inputs.map(\.name))
        for initializer in graph.initializers {
            guard types[initializer.name] == nil else {
                throw .duplicateDefinition(value: initializer.name, node: nil)
            }
            types[initializer.name] = TensorType(initializer.tensor.dtype, initializer.tensor.shape.map(Dim.fixed))
            // A graph input with an initializer's name overrides it at run time (ONNX rule),
            // so its value is not a constant.
            if !graphInputNames.contains(initializer.name) { constants[initializer.name] = initializer.tensor }
        }
        var inputNames = Set<String>()
        for input in graph.inputs {
            guard inputNames.insert(input.name).inserted else {
                throw .duplicateDefinition(value: input.name, node: nil)
            }
            types[input.name] = input.type
        }

        let order = try topologicalOrder(graph, predefined: Set(types.keys).union(enclosing.types.keys))
        var subgraphs: [String: [Result]] = [:]
        for index in order {
            let node = graph.nodes[index]
            // A value of this graph shadows a same-named one of the enclosing graphs.
            let isOwn = { (name: String) in types[name] != nil }
            let context = NodeContext(
                node: node,
                inputTypes: node.inputs.map { $0.isEmpty ? nil : types[$0] ?? enclosing.types[$0] },
                constants: node.inputs.map { $0.isEmpty ? nil : isOwn($0) ? constants[$0] : enclosing.constants[$0] },
                dimValues: node.inputs.map { $0.isEmpty ? nil : dimValues[$0] },
                scope: node.op.subgraphs.isEmpty ? EnclosingScope() : enclosing.entering(types: types, constants: constants))
            let inferred: [NodeContext.Output]
            // The subgraphs' inferences are kept: dumps, export and counting read their types.
            if case .scan(let attributes) = node.op {
                let scan = try context.inferScan(attributes)
                (inferred, subgraphs[node.name]) = (scan.outputs, [scan.body])
            } else if case .controlFlow(let op) = node.op {
                (inferred, subgraphs[node.name]) = try context.inferControlFlow(op)
            } else {
                inferred = try context.inferOutputs()
            }
            for (outputIndex, output) in node.outputs.enumerated() where !output.isEmpty {
                guard outputIndex < inferred.count else {
                    throw .outputCount(node: node.name, op: node.op.onnxName, expected: node.op.outputArity,
                                       actual: node.outputs.count)
                }
                // Every later size computation (counts, byte sizes, plans) may then multiply
                // these dims freely.
                _ = try context.product(inferred[outputIndex].type.dims)
                types[output] = inferred[outputIndex].type
                if let value = inferred[outputIndex].constant { constants[output] = value }
                if let values = inferred[outputIndex].dimValues { dimValues[output] = values }
            }
        }

        for output in graph.outputs {
            guard let inferred = types[output.name] ?? enclosing.types[output.name] else {
                throw .undefinedOutput(value: output.name)
            }
            try checkDeclared(output, against: inferred)
        }
        return Result(types: types, order: order, constants: constants, subgraphs: subgraphs)
    }

    /// Kahn's algorithm, keeping the given order among ready nodes so dumps stay stable.
    static func topologicalOrder(_ graph: Graph, predefined: Set<String>) throws(GraphError) -> [Int] {
        var producer: [String: Int] = [:]
        var nodeNames = Set<String>()
        for (index, node) in graph.nodes.enumerated() {
            guard nodeNames.insert(node.name).inserted else { throw .duplicateNodeName(node.name) }
            guard node.op.inputArity.contains(node.inputs.count) else {
                throw .inputCount(node: node.name, op: node.op.onnxName, expected: node.op.inputArity,
                                  actual: node.inputs.count)
            }
            guard node.op.outputArity.contains(node.outputs.count) else {
                throw .outputCount(node: node.name, op: node.op.onnxName, expected: node.op.outputArity,
                                   actual: node.outputs.count)
            }
            for output in node.outputs where !output.isEmpty {
                guard !predefined.contains(output), producer[output] == nil else {
                    throw .duplicateDefinition(value: output, node: node.name)
                }
                producer[output] = index
            }
        }

        var consumers = [[Int]](repeating: [], count: graph.nodes.count)
        var pendingInputs = [Int](repeating: 0, count: graph.nodes.count)
        for (index, node) in graph.nodes.enumerated() {
            for input in Set(node.inputs + node.implicitInputs) where !input.isEmpty {
                if let source = producer[input] {
                    consumers[source].append(index)
                    pendingInputs[index] += 1
                } else if !predefined.contains(input) {
                    throw .undefinedValue(value: input, node: node.name)
                }
            }
        }

        var ready = pendingInputs.indices.filter { pendingInputs[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        order.reserveCapacity(graph.nodes.count)
        while let index = ready.popLast() {
            order.append(index)
            for consumer in consumers[index].reversed() {
                pendingInputs[consumer] -= 1
                if pendingInputs[consumer] == 0 { ready.append(consumer) }
            }
        }
        guard order.count == graph.nodes.count else {
            // Nodes downstream of a cycle are stuck too; peel off those that feed no other
            // stuck node, so the error names the cycle itself.
            var stuck = Set(pendingInputs.indices.filter { pendingInputs[$0] > 0 })
            while let leaf = stuck.first(where: { !consumers[$0].contains(where: stuck.contains) }) {
                stuck.remove(leaf)
            }
            throw .cycle(nodes: stuck.sorted().map { graph.nodes[$0].name })
        }
        return order
    }

    /// A declared output type must agree with the inferred one where both are fixed.
    static func checkDeclared(_ declared: ValueInfo, against inferred: TensorType) throws(GraphError) {
        let agrees = !declared.isDeclared || declared.type.dtype == inferred.dtype && declared.type.rank == inferred.rank
            && zip(declared.type.dims, inferred.dims).allSatisfy { pair in
                guard let left = pair.0.value, let right = pair.1.value else { return true }
                return left == right
            }
        guard agrees else {
            throw .shape(node: declared.name, op: "graph output",
                         message: "declared as \(declared.type), but the graph computes \(inferred)")
        }
    }
}
