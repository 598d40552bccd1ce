import ZooGraph
import ZooTensor

extension PlanGraph {
    /// A private copy of `graph` with its inputs fixed to `inputShapes`, nodes in
    /// topological order. Values are typed later, by type propagation.
    init(_ graph: Graph, inputShapes: [[Int]]) throws(RuntimeError) {
        let inputNames = Set(graph.inputs.map(\.name))
        var constants: [String: Tensor] = [:]
        for initializer in graph.initializers where !inputNames.contains(initializer.name) {
            constants[initializer.name] = initializer.tensor
        }
        var types: [String: ValueType] = constants.mapValues { ValueType(of: $0) }
        for (input, shape) in zip(graph.inputs, inputShapes) { types[input.name] = ValueType(input.type.dtype, shape) }
        self.init(inputs: graph.inputs.map(\.name), outputs: graph.outputs.map(\.name),
                  nodes: try Self.topologicallySorted(graph.nodes, defined: Set(types.keys)).map(PlanNode.init),
                  constants: constants, types: types)
    }

    /// Kahn's algorithm, keeping the graph's order among ready nodes. A node also depends on
    /// the values its subgraphs read (its implicit inputs).
    static func topologicallySorted(_ nodes: [Node], defined: Set<String>) throws(RuntimeError) -> [Node] {
        var producer: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for output in node.outputs where !output.isEmpty {
                guard producer[output] == nil, !defined.contains(output) else {
                    throw .invalidGraph(.duplicateDefinition(value: output, node: node.name))
                }
                producer[output] = index
            }
        }
        var consumers = [[Int]](repeating: [], count: nodes.count)
        var pending = [Int](repeating: 0, count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in Set(node.inputs + node.implicitInputs) where !input.isEmpty {
                if let source = producer[input] {
                    consumers[source].append(index)
                    pending[index] += 1
                } else if !defined.contains(input) {
                    throw .invalidGraph(.undefinedValue(value: input, node: node.name))
                }
            }
        }
        var ready = Array(pending.indices.filter { pending[$0] == 0 }.reversed())
        var order: [Node] = []
        while let index = ready.popLast() {
            order.append(nodes[index])
            for consumer in consumers[index].reversed() {
                pending[consumer] -= 1
                if pending[consumer] == 0 { ready.append(consumer) }
            }
        }
        guard order.count == nodes.count else {
            throw .invalidGraph(.cycle(nodes: pending.indices.filter { pending[$0] > 0 }.map { nodes[$0].name }))
        }
        return order
    }
}
