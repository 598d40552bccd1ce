import ZooGraph

/// Which initializers are parameters and where each is counted. Floating-point initializers
/// are parameters, and so are the integer ones a quantized operator reads (weights, biases,
/// zero points); other integer ones (shapes, indices) are not. Each parameter is counted once,
/// at the first node that reads it in topological order, so weights tied between layers
/// count once; a Scan reads what its body reads from the enclosing graph. A parameter is
/// non-trainable when BatchNormalization reads it as running mean or variance (inputs 3 and
/// 4) and nothing reads it otherwise.
struct ParameterLedger {
    /// Parameter names counted at each node, by node index.
    private var attributed: [Int: [String]] = [:]
    /// Elements of the floating-point initializers a node's subgraphs declare themselves
    /// (exporters usually keep a body's weights in the main graph, but need not), by node index.
    private var declaredInSubgraphs: [Int: Int] = [:]
    /// Parameters no node reads, in declaration order.
    private(set) var unread: [String] = []
    private var sizes: [String: Int] = [:]
    private var trainable: Set<String> = []

    init(graph: Graph, order: [Int]) {
        let quantizedOperands = Self.quantizedOperands(of: graph)
        for initializer in graph.initializers
        where initializer.tensor.dtype.isFloatingPoint || quantizedOperands.contains(initializer.name) {
            sizes[initializer.name] = initializer.tensor.elementCount
        }
        var read = Set<String>()
        for index in order {
            let node = graph.nodes[index]
            for (position, name) in (node.inputs + node.implicitInputs).enumerated() where sizes[name] != nil {
                if read.insert(name).inserted { attributed[index, default: []].append(name) }
                if !Self.isRunningStatistic(node.op, position) { trainable.insert(name) }
            }
            let declared = Self.subgraphInitializers(of: node.op).filter { $0.tensor.dtype.isFloatingPoint }
            if !declared.isEmpty { declaredInSubgraphs[index] = declared.reduce(0) { $0 + $1.tensor.elementCount } }
        }
        unread = graph.initializers.map(\.name).filter { sizes[$0] != nil && !read.contains($0) }
    }

    /// Parameters and trainable parameters counted at node `index`.
    func counts(atNode index: Int) -> (parameters: Int, trainable: Int) {
        let names = attributed[index] ?? []
        let declared = declaredInSubgraphs[index] ?? 0
        return (declared + names.reduce(0) { $0 + sizes[$1, default: 0] },
                declared + names.filter(trainable.contains).reduce(0) { $0 + sizes[$1, default: 0] })
    }

    /// The initializers of `op`'s subgraphs and of theirs, at any depth.
    private static func subgraphInitializers(of op: Op) -> [Graph.Initializer] {
        op.subgraphs.flatMap { graph in graph.initializers + graph.nodes.flatMap { subgraphInitializers(of: $0.op) } }
    }

    /// The values quantized operators read: their integer initializers are parameters.
    private static func quantizedOperands(of graph: Graph) -> Set<String> {
        Set(graph.nodes.flatMap { node -> [String] in
            if case .quantized = node.op { return node.inputs }
            return []
        })
    }

    private static func isRunningStatistic(_ op: Op, _ position: Int) -> Bool {
        if case .batchNormalization = op { return position == 3 || position == 4 }
        return false
    }
}
