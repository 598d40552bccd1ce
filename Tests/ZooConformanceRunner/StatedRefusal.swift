import ZooGraph
import ZooONNX
import ZooRuntime

/// Which errors count as a stated refusal: a "not supported" for an operator, an operator
/// variant (an attribute value, an input count, axes given at run time) or a dtype that we
/// do not implement. Any other error importing, compiling or running a case is an error of
/// ours, and fails the conformance test.
enum StatedRefusal {
    /// The refusal's reason (the first unsupported node's op, opset and reason), or nil when
    /// the error is not a stated refusal. Node names and paths are left out, so equal
    /// reasons group.
    static func reason(for error: any Error) -> String? {
        switch error {
        case ONNXError.unsupported(_, let problems) where problems.allSatisfy({ isStatedLimitation($0.reason) }):
            return problems.first.map { "\($0.domain.isEmpty ? "" : $0.domain + ".")\($0.op) (opset \($0.opset)): \($0.reason)" }
        case ONNXError.malformed(_, let reason) where reason.contains("has unsupported type"):
            return "a graph input or output of a type we do not hold: " + (reason.components(separatedBy: "has unsupported type ").last ?? "")
        case ONNXError.invalidGraph(_, let graphError), RuntimeError.invalidGraph(let graphError):
            return reason(for: graphError)
        case RuntimeError.unsupported(_, let op, let reason):
            return "\(op): no kernel: \(reason)"
        case RuntimeError.runTimeValue(_, let op, _, let role):
            return "\(op): run-time \(role)"
        default:
            return nil
        }
    }

    /// What the importer says of an operator or variant it does not implement.
    static func isStatedLimitation(_ reason: String) -> Bool {
        reason.hasSuffix("not supported") || reason.hasSuffix("only of two") || reason.hasSuffix("must be a constant")
    }

    /// Shape inference's refusals of variants: an input dtype the op's kernels do not take,
    /// a shape input known only at run time, or optional outputs we do not produce.
    static func reason(for error: GraphError) -> String? {
        switch error {
        case .dtype(_, let op, _, let expected, let actual): "\(op): input must be \(expected), got \(actual)"
        case .nonConstantInput(_, let op, _, let role): "\(op): run-time \(role)"
        // A refusal inside a subgraph (a Loop's body) is still a refusal.
        case .subgraph(_, _, let inner): reason(for: inner)
        case .outputCount(_, let op, let expected, let actual) where actual > expected.upperBound:
            "\(op): \(actual) outputs, of which we produce \(expected.upperBound)"
        default: nil
        }
    }
}
