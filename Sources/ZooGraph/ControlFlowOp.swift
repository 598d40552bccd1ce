import ZooTensor

/// If and Loop: ops that run subgraphs chosen or repeated by values computed at run time.
///
/// Their subgraphs read values of the enclosing graphs by name, as Scan's body does (the
/// node's `implicitInputs`), and nest to at most `Graph.maximumSubgraphDepth` levels.
public enum ControlFlowOp: Sendable, Equatable {
    /// ONNX If: input 0 is a bool scalar (or one-element tensor); the node's outputs are the
    /// outputs of `thenBranch` when it is true, of `elseBranch` otherwise. Branches take no
    /// inputs and return as many outputs as the node has.
    case `if`(thenBranch: Graph, elseBranch: Graph)
    /// ONNX Loop: inputs are the trip count M (int64 scalar, optional: ""), the condition
    /// (bool scalar, optional: "") and N loop-carried initial values. The body takes the
    /// iteration number (int64 scalar), the condition and the N carried values, and returns
    /// the next condition, the N next values and K per-iteration values. The node's outputs
    /// are the N final values, then the K per-iteration values stacked along a new first axis.
    /// Iterations run while `i < M` (when M is given) and the condition holds.
    case loop(body: Graph)

    public var onnxName: String {
        switch self {
        case .if: "If"
        case .loop: "Loop"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .if: 1...1
        case .loop: 2...Int.max
        }
    }

    /// At least one output each, as ONNX declares them.
    public var outputArity: ClosedRange<Int> { 1...Int.max }

    /// The subgraphs, in the order the ONNX attributes are written (then_branch, else_branch).
    public var subgraphs: [Graph] {
        switch self {
        case .if(let thenBranch, let elseBranch): [thenBranch, elseBranch]
        case .loop(let body): [body]
        }
    }

    /// The ONNX attribute names of `subgraphs`, in the same order.
    public var subgraphAttributeNames: [String] {
        switch self {
        case .if: ["then_branch", "else_branch"]
        case .loop: ["body"]
        }
    }

    /// The same op holding `graphs` in place of its subgraphs (same order and count).
    public func replacingSubgraphs(_ graphs: [Graph]) -> ControlFlowOp {
        switch self {
        case .if: .if(thenBranch: graphs[0], elseBranch: graphs[1])
        case .loop: .loop(body: graphs[0])
        }
    }
}

extension ControlFlowOp {
    /// The most iterations a Loop may run: a trip count from a file (2^62, say) above it is an
    /// error rather than a hang, and so is a condition that keeps a loop going past it.
    public static let maximumIterations = 1 << 24

    /// Whether a Loop body returns the condition it receives, or the constant true (directly
    /// or through Identity nodes): then the condition never stops the loop once it has started.
    public static func conditionStays(in body: Graph) -> Bool {
        guard body.inputs.count >= 2, var next = body.outputs.first?.name else { return false }
        for _ in body.nodes.indices {
            guard let identity = body.nodes.first(where: { $0.op == .identity && $0.outputs.first == next }),
                  let source = identity.inputs.first else { break }
            next = source
        }
        if next == body.inputs[1].name { return true }
        let value = body.initializers.first { $0.name == next }?.tensor
            ?? body.nodes.lazy.compactMap { node -> Tensor? in
                if case .constant(let value) = node.op, node.outputs.first == next { value } else { nil }
            }.first
        return value?.dtype == .bool && value?.integerValues == [1]
    }
}
