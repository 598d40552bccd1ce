extension ComplexityReport {
    /// Groups nodes by the first `depth` components of their names, keeping the order in
    /// which each group first appears.
    static func rollUp(_ nodes: [NodeCount], depth: Int) throws(CountError) -> [BlockCount] {
        var groups: [(path: String, nodes: [NodeCount])] = []
        var groupIndex: [String: Int] = [:]
        for node in nodes {
            let path = node.name.split(separator: ".", omittingEmptySubsequences: false)
                .prefix(max(depth, 1)).joined(separator: ".")
            if let index = groupIndex[path] {
                groups[index].nodes.append(node)
            } else {
                groupIndex[path] = groups.count
                groups.append((path, [node]))
            }
        }
        return try groups.map { (group: (path: String, nodes: [NodeCount])) throws(CountError) in
            BlockCount(path: group.path, nodeCount: group.nodes.count,
                       counts: try sum(group.nodes, context: "block '\(group.path)'"))
        }
    }
}
