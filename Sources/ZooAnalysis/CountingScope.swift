import ZooGraph
import ZooTensor

/// What counting one graph sees, node by node in topological order: the types of its values
/// and of the enclosing graphs' values it reads, which values are known before any input
/// arrives, and its subgraphs' inferences. A main graph and a subgraph are counted the same
/// way.
struct CountingScope {
    private(set) var types: [String: TensorType]
    /// Values computed once when a runtime loads the graph: parameters, constants, static
    /// shapes, and what nodes compute from them alone.
    private(set) var loadTimeValues: Set<String>
    /// Values known before running (initializers, folded constants), enclosing ones included.
    private let constants: [String: Tensor]
    /// Node indices in topological order.
    let order: [Int]
    private let subgraphs: [String: [ShapeInference.Result]]

    /// The scope of a main graph.
    init(_ inference: ShapeInference.Result) {
        types = inference.types
        loadTimeValues = Set(inference.constants.keys)
        constants = inference.constants
        order = inference.order
        subgraphs = inference.subgraphs
    }

    /// The scope of a body inferred as `inference` inside `enclosing`. Its own values shadow
    /// same-named enclosing ones: a body input named like an enclosing weight changes per step.
    init(body inference: ShapeInference.Result, in enclosing: CountingScope) {
        types = enclosing.types.merging(inference.types) { _, own in own }
        loadTimeValues = enclosing.loadTimeValues.subtracting(inference.types.keys).union(inference.constants.keys)
        constants = enclosing.constants.filter { inference.types[$0.key] == nil }.merging(inference.constants) { _, own in own }
        order = inference.order
        subgraphs = inference.subgraphs
    }

    /// The cost context of `node`, the next in order, and whether it computes a load-time
    /// value: whether every value it reads, its body's reads included, is one.
    mutating func visit(_ node: Node) -> (context: CostContext, computesConstant: Bool) {
        let context = CostContext(
            node: node,
            inputTypes: node.inputs.map { $0.isEmpty ? nil : types[$0] },
            outputTypes: node.outputs.map { $0.isEmpty ? nil : types[$0] },
            subgraphs: (subgraphs[node.name] ?? []).map { CountingScope(body: $0, in: self) })
        let computesConstant = (node.inputs + node.implicitInputs).allSatisfy { $0.isEmpty || loadTimeValues.contains($0) }
        if computesConstant { loadTimeValues.formUnion(node.outputs.filter { !$0.isEmpty }) }
        return (context, computesConstant)
    }

    /// The value of `name` when it is known before running.
    func constantValue(_ name: String) -> Tensor? { constants[name] }
}
