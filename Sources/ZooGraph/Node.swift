/// One operation in the graph. Inputs and outputs are value names; an empty name stands for
/// an omitted optional operand, as in ONNX.
public struct Node: Sendable, Equatable {
    /// Unique within the graph; for traced blocks this is the block path (`layer1.0.conv1`).
    public var name: String
    public var op: Op
    public var inputs: [String]
    public var outputs: [String]

    public init(name: String, op: Op, inputs: [String], outputs: [String]) {
        self.name = name
        self.op = op
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The input at `index`, or nil when it is absent or omitted.
    public func input(_ index: Int) -> String? {
        index < inputs.count && !inputs[index].isEmpty ? inputs[index] : nil
    }
}

/// A named, typed graph input or output.
public struct ValueInfo: Sendable, Hashable {
    public var name: String
    public var type: TensorType
    /// False for a subgraph's input or output whose type (or shape) the file leaves out, as
    /// ONNX allows: `type` is then only a placeholder, and shape inference takes the type the
    /// node passes (inputs) or the subgraph computes (outputs).
    public var isDeclared: Bool

    public init(name: String, type: TensorType, isDeclared: Bool = true) {
        self.name = name
        self.type = type
        self.isDeclared = isDeclared
    }
}
