import ZooGraph
import ZooIO
import ZooTensor

/// Why an ONNX file could not be read or written. Messages name the file, node and op.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a ModelProto (truncated, corrupt, not protobuf).
    case malformed(file: String, reason: String)
    case file(FileError)
    /// Ops or attributes this version cannot represent, all listed at once.
    case unsupported(file: String, problems: [UnsupportedContent])
    case invalidTensor(file: String, name: String, reason: String)
    case invalidGraph(file: String, GraphError)
    case exportFailed(reason: String)

    public struct UnsupportedContent: Equatable, Sendable, CustomStringConvertible {
        public var node: String
        public var op: String
        public var domain: String
        public var opset: Int
        public var reason: String

        public init(node: String, op: String, domain: String, opset: Int, reason: String) {
            self.node = node
            self.op = op
            self.domain = domain
            self.opset = opset
            self.reason = reason
        }

        public var description: String {
            "node '\(node)': \(domain.isEmpty ? "" : domain + ".")\(op) (opset \(opset)): \(reason)"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let file, let reason): "\(file): not a valid ONNX model: \(reason)"
        case .file(let error): error.description
        case .unsupported(let file, let problems):
            "\(file): \(problems.count) unsupported node\(problems.count == 1 ? "" : "s"):\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        case .invalidTensor(let file, let name, let reason): "\(file): tensor '\(name)': \(reason)"
        case .invalidGraph(let file, let error): "\(file): \(error)"
        case .exportFailed(let reason): "cannot export: \(reason)"
        }
    }
}
