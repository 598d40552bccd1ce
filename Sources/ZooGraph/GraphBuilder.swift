import ZooTensor

/// Builds a graph node by node, inferring each node's output types as it is added, so a
/// mistake is reported at the node that makes it (named by its block path).
public struct GraphBuilder: Sendable {
    /// A value produced so far: its name and inferred type.
    public struct Value: Sendable, Hashable {
        public let name: String
        public let type: TensorType
    }

    public private(set) var graph: Graph
    private var types: [String: TensorType] = [:]
    private var constants: [String: Tensor] = [:]
    private var dimValues: [String: [Dim]] = [:]

    public init(name: String) {
        graph = Graph(name: name)
    }

    public mutating func input(_ name: String, _ type: TensorType) throws(GraphError) -> Value {
        guard types[name] == nil else { throw .duplicateDefinition(value: name, node: nil) }
        graph.inputs.append(ValueInfo(name: name, type: type))
        types[name] = type
        return Value(name: name, type: type)
    }

    /// Declares a parameter (an ONNX initializer) under its state_dict name.
    public mutating func parameter(_ name: String, _ tensor: Tensor) throws(GraphError) -> Value {
        guard types[name] == nil else { throw .duplicateDefinition(value: name, node: nil) }
        graph.initializers.append(Graph.Initializer(name: name, tensor: tensor))
        let type = TensorType(tensor.dtype, tensor.shape.map(Dim.fixed))
        types[name] = type
        constants[name] = tensor
        return Value(name: name, type: type)
    }

    /// Adds a node named `name`; its outputs are named `name` (one output) or `name:i`.
    @discardableResult
    public mutating func add(_ op: Op, _ inputs: [Value?], name: String, outputCount: Int = 1)
        throws(GraphError) -> [Value]
    {
        guard !graph.nodes.contains(where: { $0.name == name }) else { throw .duplicateNodeName(name) }
        let outputNames = outputCount == 1 ? [name] : (0..<outputCount).map { "\(name):\($0)" }
        // Omitted trailing operands are dropped (ONNX's normal form), so graphs survive a
        // round trip through files that never write them.
        var inputs = inputs
        while let last = inputs.last, last == nil { inputs.removeLast() }
        let node = Node(name: name, op: op, inputs: inputs.map { $0?.name ?? "" }, outputs: outputNames)
        guard op.inputArity.contains(node.inputs.count) else {
            throw .inputCount(node: name, op: op.onnxName, expected: op.inputArity, actual: node.inputs.count)
        }
        for output in outputNames where types[output] != nil {
            throw .duplicateDefinition(value: output, node: name)
        }
        let context = NodeContext(node: node, inputTypes: inputs.map { $0?.type },
                                  constants: inputs.map { $0.flatMap { constants[$0.name] } },
                                  dimValues: inputs.map { $0.flatMap { dimValues[$0.name] } },
                                  scope: op.subgraphs.isEmpty ? EnclosingScope()
                                      : EnclosingScope().entering(types: types, constants: constants))
        let inferred = try context.inferOutputs()
        graph.nodes.append(node)
        return zip(outputNames, inferred).map { outputName, output in
            types[outputName] = output.type
            if let value = output.constant { constants[outputName] = value }
            if let values = output.dimValues { dimValues[outputName] = values }
            return Value(name: outputName, type: output.type)
        }
    }

    /// Adds a single-output node and returns its output.
    public mutating func apply(_ op: Op, _ inputs: Value?..., name: String) throws(GraphError) -> Value {
        try add(op, inputs, name: name)[0]
    }

    /// A constant tensor as a Constant node (shapes, axes): not a parameter.
    public mutating func constant(_ tensor: Tensor, name: String) throws(GraphError) -> Value {
        try add(.constant(tensor), [], name: name)[0]
    }

    public mutating func output(_ value: Value, as name: String? = nil) throws(GraphError) {
        var value = value
        if let name, name != value.name {
            value = try apply(.identity, value, name: name)
        }
        graph.outputs.append(ValueInfo(name: value.name, type: value.type))
    }

    /// The finished graph, validated as a whole.
    public func build() throws(GraphError) -> Graph {
        _ = try ShapeInference.run(graph)
        return graph
    }
}
