import ZooGraph

/// Parameters, MACs, FLOPs and activation memory of a graph, per node and in total,
/// computed from the IR alone: a zoo model and the same model imported from ONNX give the
/// same report. What each op costs is set out in `CostRules`.
///
/// - Parameters are the elements of floating-point initializers, each counted once at the
///   first node that reads it (tied weights count once). Integer initializers such as
///   shape constants are not parameters, nor are Constant nodes. Published parameter
///   counts (torchvision's, Hugging Face's) leave out BatchNormalization's running
///   statistics: compare them with `trainableParameters`. A Scan reads the weights its body
///   uses from the enclosing graph (its implicit inputs), so they count at the Scan.
/// - Activation bytes are the sizes of every node output that depends on a graph input,
///   views such as Reshape included, summed: what a run would hold if it freed nothing, not
///   its peak. A Scan holds its outputs; its body's per-step temporaries are not counted, as
///   an LSTM's gates are not.
/// - A node whose inputs are all parameters or constants (a transposed weight, a shape
///   computation) runs once when a runtime loads the graph: it costs no MACs or FLOPs and
///   holds no activations (`NodeCount.computesConstant`).
/// - Where input dimensions stay symbolic, counts are polynomials in the symbols.
public struct ComplexityReport: Sendable {
    public var graphName: String
    /// One entry per node, in topological order.
    public var nodes: [NodeCount]
    /// The nodes rolled up by path prefix, when `CountOptions.depth` is set; in order of
    /// first appearance.
    public var blocks: [BlockCount]?
    /// The sum over all nodes.
    public var total: Counts
    /// The sum over the uncounted nodes: their share of parameters and activation memory.
    public var uncountedTotal: Counts
    /// Floating-point initializers that no node reads: listed, not counted.
    public var unreadParameters: [String]
    /// Symbols of sizes known only at run time (not declared by the graph's inputs).
    public var runTimeDims: [String]

    /// The counting conventions in one line, printed with every report (see `CostRules`).
    public static let conventions =
        "1 MAC (multiply-accumulate) = 2 FLOPs; MACs are the products of Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU, RNN, Einsum and Det"

    /// Nodes whose op had no rule (only with `CountOptions.allowUncounted`).
    public var uncounted: [NodeCount] { nodes.filter { !$0.isCounted } }

    public init(counting graph: Graph, options: CountOptions = CountOptions()) throws(CountError) {
        let graph = try graph.specialised(for: options)
        let inference: ShapeInference.Result
        do { inference = try ShapeInference.run(graph) } catch { throw .graph(error) }
        let ledger = ParameterLedger(graph: graph, order: inference.order)

        // Values known before any input arrives (parameters, constants, static shapes, and
        // what nodes compute from them alone) are computed once when a runtime loads the
        // graph: their nodes cost nothing per run, need no rule, and hold no activations.
        var scope = CountingScope(inference)
        var nodes: [NodeCount] = []
        for index in scope.order {
            let node = graph.nodes[index]
            let (context, computesConstant) = scope.visit(node)
            let isCounted = computesConstant || options.rules.hasRule(for: node.op)
            guard isCounted || options.allowUncounted else {
                throw .uncountedOp(node: node.name, op: node.op.onnxName)
            }
            let cost = isCounted && !computesConstant ? try options.rules.cost(of: context) : .free
            let parameters = ledger.counts(atNode: index)
            let activationBytes = try context.outputBytes(excluding: scope.loadTimeValues)
            nodes.append(NodeCount(
                name: node.name, op: node.op.onnxName, outputTypes: context.outputTypes.compactMap { $0 },
                isCounted: isCounted, computesConstant: computesConstant,
                counts: Counts(parameters: parameters.parameters, trainableParameters: parameters.trainable,
                               macs: cost.macs, flops: cost.flops, activationBytes: activationBytes)))
        }

        graphName = graph.name
        self.nodes = nodes
        total = try Self.sum(nodes, context: "the total of graph '\(graph.name)'")
        uncountedTotal = try Self.sum(nodes.filter { !$0.isCounted }, context: "the uncounted nodes")
        blocks = try options.depth.map { (depth: Int) throws(CountError) in try Self.rollUp(nodes, depth: depth) }
        unreadParameters = ledger.unread
        runTimeDims = Self.runTimeDims(of: nodes.flatMap(\.outputTypes), inputs: graph.inputs)
    }

    static func sum(_ nodes: [NodeCount], context: String) throws(CountError) -> Counts {
        do { return try Counts.sum(nodes.map(\.counts)) } catch { throw .overflow(context: context) }
    }
}
