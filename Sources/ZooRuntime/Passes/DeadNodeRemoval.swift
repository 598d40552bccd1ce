// Contract: nodes none of whose outputs reach a graph output are removed, and so are
// constants nothing reads (a Scan body's reads of enclosing values count: `allInputs`).
extension PlanGraph {
    mutating func removeDeadNodes() {
        var live = Set(outputs)
        var kept: [PlanNode] = []
        for node in nodes.reversed() where node.outputs.contains(where: { live.contains($0) }) {
            kept.append(node)
            live.formUnion(node.allInputs)
        }
        nodes = kept.reversed()
        constants = constants.filter { live.contains($0.key) }
    }
}
