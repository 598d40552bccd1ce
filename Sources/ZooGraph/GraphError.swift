import ZooTensor

/// What is wrong with a graph. Node-level cases name the node and its op, and say what was
/// expected and what was found.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    case duplicateNodeName(String)
    case duplicateDefinition(value: String, node: String?)
    case undefinedValue(value: String, node: String)
    case undefinedOutput(value: String)
    case cycle(nodes: [String])
    case inputCount(node: String, op: String, expected: ClosedRange<Int>, actual: Int)
    case outputCount(node: String, op: String, expected: ClosedRange<Int>, actual: Int)
    case dtype(node: String, op: String, input: String, expected: String, actual: DType)
    case shape(node: String, op: String, message: String)
    case attribute(node: String, op: String, name: String, message: String)
    case nonConstantInput(node: String, op: String, input: String, role: String)
    case tensor(node: String, op: String, TensorError)
    /// What is wrong inside the subgraph (a Scan's body) of the node.
    indirect case subgraph(node: String, op: String, GraphError)

    public var description: String {
        switch self {
        case .duplicateNodeName(let name):
            "two nodes are named '\(name)'"
        case .duplicateDefinition(let value, let node):
            "value '\(value)' is defined twice" + (node.map { " (again by node '\($0)')" } ?? "")
        case .undefinedValue(let value, let node):
            "node '\(node)' reads '\(value)', which no input, initializer or node defines"
        case .undefinedOutput(let value):
            "graph output '\(value)' is never defined"
        case .cycle(let nodes):
            "the graph has a cycle through nodes \(nodes.map { "'\($0)'" }.joined(separator: ", "))"
        case .inputCount(let node, let op, let expected, let actual):
            "node '\(node)' (\(op)): expected \(Self.describe(expected)) inputs, got \(actual)"
        case .outputCount(let node, let op, let expected, let actual):
            "node '\(node)' (\(op)): expected \(Self.describe(expected)) outputs, got \(actual)"
        case .dtype(let node, let op, let input, let expected, let actual):
            "node '\(node)' (\(op)): input '\(input)' must be \(expected), got \(actual)"
        case .shape(let node, let op, let message):
            "node '\(node)' (\(op)): \(message)"
        case .attribute(let node, let op, let name, let message):
            "node '\(node)' (\(op)): attribute '\(name)' \(message)"
        case .nonConstantInput(let node, let op, let input, let role):
            "node '\(node)' (\(op)): input '\(input)' (\(role)) must be a constant known before running"
        case .tensor(let node, let op, let error):
            "node '\(node)' (\(op)): \(error)"
        case .subgraph(let node, let op, let error):
            "node '\(node)' (\(op)): body: \(error)"
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.lowerBound == range.upperBound { return "\(range.lowerBound)" }
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "\(range.lowerBound) to \(range.upperBound)"
    }
}
