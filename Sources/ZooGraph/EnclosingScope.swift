import ZooTensor

/// What a graph sees of the graphs around it while it is inferred: the types of their values
/// and those known before running. Empty for a main graph.
struct EnclosingScope {
    var types: [String: TensorType] = [:]
    var constants: [String: Tensor] = [:]
    /// How deeply the graph inferred in this scope is nested: 0 for a main graph, 1 for a
    /// Scan body in it.
    var depth = 0

    /// The scope of a subgraph held by a node of the graph inferred in this scope, whose
    /// values so far are `types` and `constants`: those shadow same-named outer values.
    func entering(types inner: [String: TensorType], constants innerConstants: [String: Tensor]) -> EnclosingScope {
        EnclosingScope(types: types.merging(inner) { _, shadowing in shadowing },
                       constants: constants.merging(innerConstants) { _, shadowing in shadowing },
                       depth: depth + 1)
    }
}
