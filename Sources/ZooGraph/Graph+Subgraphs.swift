// Subgraphs (a Scan's or Loop's body, an If's branches) and the values they read from the graphs around them.

extension Graph {
    /// How deeply subgraphs may nest: a Scan inside a Scan is depth 2. Validation and the
    /// ONNX reader refuse deeper nesting, so a hostile file cannot exhaust the stack.
    public static let maximumSubgraphDepth = 16

    /// Names this graph reads without defining them, in order of first use: values of the
    /// enclosing graphs, read directly by its nodes, by its subgraphs, or named as outputs.
    public var outerScopeReferences: [String] {
        outerScopeReferences(depthBudget: Self.maximumSubgraphDepth)
    }

    /// Stops descending after `depthBudget` levels; validation rejects anything deeper.
    func outerScopeReferences(depthBudget: Int) -> [String] {
        let defined = Set(inputs.map(\.name) + initializers.map(\.name) + nodes.flatMap(\.outputs))
        var seen = Set<String>()
        var references: [String] = []
        func note(_ name: String) {
            if !name.isEmpty, !defined.contains(name), seen.insert(name).inserted { references.append(name) }
        }
        for node in nodes {
            node.inputs.forEach(note)
            guard depthBudget > 0 else { continue }
            for subgraph in node.op.subgraphs {
                subgraph.outerScopeReferences(depthBudget: depthBudget - 1).forEach(note)
            }
        }
        outputs.map(\.name).forEach(note)
        return references
    }
}

extension Op {
    /// The graphs this op holds as attributes: a Scan's or Loop's body, an If's two
    /// branches; none for other ops.
    public var subgraphs: [Graph] {
        switch self {
        case .scan(let attributes): [attributes.body]
        case .controlFlow(let op): op.subgraphs
        default: []
        }
    }
}

extension Node {
    /// Values of the enclosing graph that this node's subgraphs read by name (ONNX's implicit
    /// inputs). The node depends on them as on its inputs: it runs after they are computed.
    public var implicitInputs: [String] {
        var seen = Set<String>()
        return op.subgraphs.flatMap { $0.outerScopeReferences(depthBudget: Graph.maximumSubgraphDepth - 1) }
            .filter { seen.insert($0).inserted }
    }
}
