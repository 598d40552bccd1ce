// Contract: Identity and Dropout (an identity at inference) disappear; their readers read
// the input instead. Kept only when the output is a graph output (its name must survive).
extension PlanGraph {
    mutating func removeIdentities() {
        var index = 0
        while index < nodes.count {
            let node = nodes[index]
            let isIdentity = switch node.op { case .identity, .dropout: true; default: false }
            let maskUnused = node.outputs.dropFirst().allSatisfy { $0.isEmpty || readerCounts()[$0] == nil }
            guard isIdentity, node.reordersFrom == nil, maskUnused, !outputs.contains(node.outputs[0]),
                  let source = node.input(0) else {
                index += 1
                continue
            }
            nodes.remove(at: index)
            rename(node.outputs[0], to: source)
        }
    }
}
