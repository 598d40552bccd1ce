import ZooGraph
import ZooTensor

/// Why a session could not be compiled or run. Input errors name the input and say what
/// was expected and what was found; compile errors name the node and its op.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    case missingInput(name: String)
    case unknownInput(name: String, known: [String])
    case inputDType(name: String, expected: DType, actual: DType)
    case inputRank(name: String, expected: String, actual: [Int])
    case inputShape(name: String, expected: String, actual: [Int], reason: String)
    case invalidGraph(GraphError)
    /// The graph uses an op, or an op variant, the runtime has no kernel for.
    case unsupported(node: String, op: String, reason: String)
    /// A node needs the value of one of its inputs (a shape, axes, a count) to know its
    /// output's shape, and that value is known only while the graph runs.
    case runTimeValue(node: String, op: String, input: String, role: String)
    /// A node's operands do not fit together once shapes are known.
    case shape(node: String, op: String, message: String)
    case dnnl(node: String, call: String, status: String)
    case tensor(TensorError)
    /// A plan or buffer needs more memory than the machine has, or the system refused it.
    case memory(needed: Int, available: Int?, purpose: String)
    case threadCount(Int)

    public var description: String {
        switch self {
        case .missingInput(let name):
            "input '\(name)' is missing"
        case .unknownInput(let name, let known):
            "'\(name)' is not an input of the graph (inputs: \(known.joined(separator: ", ")))"
        case .inputDType(let name, let expected, let actual):
            "input '\(name)' must be \(expected), got \(actual)"
        case .inputRank(let name, let expected, let actual):
            "input '\(name)' must have shape \(expected), got \(actual) (rank \(actual.count))"
        case .inputShape(let name, let expected, let actual, let reason):
            "input '\(name)' must have shape \(expected), got \(actual): \(reason)"
        case .invalidGraph(let error):
            "invalid graph: \(error)"
        case .unsupported(let node, let op, let reason):
            "node '\(node)' (\(op)): no kernel: \(reason)"
        case .runTimeValue(let node, let op, let input, let role):
            "node '\(node)' (\(op)): input '\(input)' (\(role)) decides the output's shape and is known only at run time"
        case .shape(let node, let op, let message):
            "node '\(node)' (\(op)): \(message)"
        case .dnnl(let node, let call, let status):
            "node '\(node)': oneDNN \(call) failed: \(status)"
        case .tensor(let error):
            "\(error)"
        case .memory(let needed, let available?, let purpose):
            "\(purpose) needs \(MachineMemory.describe(needed)), the machine has \(MachineMemory.describe(available)) available"
        case .memory(let needed, nil, let purpose):
            "\(purpose) needs \(MachineMemory.describe(needed)), which the system refused to allocate"
        case .threadCount(let count):
            "the thread count \(count) is outside 1...\(SessionOptions.maximumThreads)"
        }
    }
}
