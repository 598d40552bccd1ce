import ZooGraph

/// Why a graph could not be counted. Node-level cases name the node and its op.
public enum CountError: Error, Equatable, CustomStringConvertible {
    /// The graph is invalid, or shape inference failed after applying the options.
    case graph(GraphError)
    /// The rules in use have no rule for the node's op (see `CountOptions.allowUncounted`).
    case uncountedOp(node: String, op: String)
    /// A count does not fit in 64 bits; `context` says whose (a node, a block, the total).
    case overflow(context: String)
    /// The node leaves a required output unnamed, so its size is unknown.
    case unnamedOutput(node: String, op: String, index: Int)
    /// `CountOptions.inputShapes` names an input the graph does not have.
    case unknownInput(String, available: [String])
    /// `CountOptions.symbolValues` names a symbol no graph input dimension uses.
    case unknownSymbol(String, available: [String])
    case negativeSymbolValue(String, Int)

    public var description: String {
        switch self {
        case .graph(let error):
            "\(error)"
        case .uncountedOp(let node, let op):
            "node '\(node)' (\(op)): no counting rule for \(op); allow uncounted ops to list it as an exception instead"
        case .overflow(let context):
            "\(context): the count does not fit in a 64-bit integer"
        case .unnamedOutput(let node, let op, let index):
            "node '\(node)' (\(op)): output \(index) has no name, so its size is unknown"
        case .unknownInput(let name, let available):
            "the graph has no input '\(name)'; its inputs are \(Self.list(available))"
        case .unknownSymbol(let name, let available):
            "no input dimension is named '\(name)'; the symbolic dimensions are \(Self.list(available))"
        case .negativeSymbolValue(let name, let value):
            "symbol '\(name)' is given the value \(value); sizes cannot be negative"
        }
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
