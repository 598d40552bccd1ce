import ZooGraph
import ZooTensor

/// What a fused node does to its result before storing it, in order. Conv, Gemm and MatMul
/// carry these into oneDNN post-ops, or into the stores of our own kernels for them (one
/// activation: `zooActivation`); no other kernel accepts them.
enum Epilogue: Sendable, Equatable {
    case relu, sigmoid, tanh
    /// GELU with the exact erf form, `x · ½(1 + erf(x/√2))`.
    case geluErf
    /// SiLU (swish), `x · sigmoid(x)`.
    case swish
    /// Clip to constant bounds, ±infinity where one is absent (ReLU6 is `clip(0, 6)`). oneDNN
    /// clips NaN to the lower bound, where a separate Clip keeps it: only a NaN weight or
    /// input can tell them apart.
    case clip(lower: Float, upper: Float)
    /// Adds another value, broadcast to the result (a residual connection).
    case add(String)
}

/// How a node stores its rank-4 activations in memory. Types always stay logical NCHW.
enum ActivationLayout: Sendable, Equatable {
    /// Row-major NCHW, as ONNX defines the values.
    case plain
    /// NHWC (oneDNN's `acdb`): what oneDNN's fastest convolutions read and write.
    case channelsLast
}

/// One node of the plan graph: an IR op plus the epilogue fusion attached to it. A MatMul
/// may carry a third input, a bias of shape [N] that fusion moved there from an Add.
struct PlanNode: Sendable, Equatable {
    var name: String
    var op: Op
    var inputs: [String]
    var outputs: [String]
    var epilogue: [Epilogue] = []
    /// The layout of the node's activation operands (input 0, the residual operands of its
    /// epilogue, the inputs of an elementwise op or Concat) and of its output.
    var layout: ActivationLayout = .plain
    /// Set only on the Identity nodes the layout pass inserts: they convert their input from
    /// this layout into `layout`.
    var reordersFrom: ActivationLayout?
    /// The enclosing graph's values that the node's subgraph (a Scan's body) reads, one per
    /// name in `subgraphReferences`, position by position. They are uses like `inputs`, so
    /// liveness, dead-node removal and folding see them; passes may rename them, while the
    /// body keeps reading them under their original names.
    var implicitInputs: [String] = []

    init(name: String, op: Op, inputs: [String], outputs: [String], epilogue: [Epilogue] = [],
         layout: ActivationLayout = .plain, reordersFrom: ActivationLayout? = nil) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.outputs = outputs
        self.epilogue = epilogue
        self.layout = layout
        self.reordersFrom = reordersFrom
    }

    init(_ node: Node) {
        self.init(name: node.name, op: node.op, inputs: node.inputs, outputs: node.outputs)
        implicitInputs = node.implicitInputs
    }

    /// The names under which the node's subgraph reads `implicitInputs`.
    var subgraphReferences: [String] { Node(name: name, op: op, inputs: inputs, outputs: outputs).implicitInputs }

    func input(_ index: Int) -> String? {
        index < inputs.count && !inputs[index].isEmpty ? inputs[index] : nil
    }

    /// Values the epilogue reads, in epilogue order.
    var epilogueOperands: [String] {
        epilogue.compactMap { if case .add(let value) = $0 { value } else { nil } }
    }

    /// The kernel's input list: the op's inputs (empty names for omitted ones), then the
    /// epilogue operands, then the implicit inputs.
    var kernelInputs: [String] { inputs + epilogueOperands + implicitInputs }

    /// Every value the node reads.
    var allInputs: [String] { kernelInputs.filter { !$0.isEmpty } }
}

/// The runtime's private copy of a graph at one set of input shapes. Passes rewrite it;
/// the user's `Graph` is never touched. Nodes are kept in topological order.
struct PlanGraph: Sendable {
    var inputs: [String]
    var outputs: [String]
    var nodes: [PlanNode]
    /// Values known before running: initializers and folded results.
    var constants: [String: Tensor]
    /// The concrete type of every value.
    var types: [String: ValueType]

    /// How many nodes read each value (graph outputs count as one reader).
    func readerCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for node in nodes { for value in node.allInputs { counts[value, default: 0] += 1 } }
        for output in outputs { counts[output, default: 0] += 1 }
        return counts
    }

    /// The index of the node producing each value.
    func producers() -> [String: Int] {
        var producers: [String: Int] = [:]
        for (index, node) in nodes.enumerated() { for output in node.outputs where !output.isEmpty { producers[output] = index } }
        return producers
    }

    /// Replaces every read of `old` with `new` (nodes and graph outputs).
    mutating func rename(_ old: String, to new: String) {
        for index in nodes.indices {
            nodes[index].inputs = nodes[index].inputs.map { $0 == old ? new : $0 }
            nodes[index].epilogue = nodes[index].epilogue.map { if case .add(old) = $0 { .add(new) } else { $0 } }
            nodes[index].implicitInputs = nodes[index].implicitInputs.map { $0 == old ? new : $0 }
        }
    }
}
