import ZooTensor

/// One way a file's parameters can disagree with a graph's initializers.
public enum ParameterMismatch: Equatable, Sendable, CustomStringConvertible {
    /// The graph has the parameter, the file does not.
    case missing(name: String, dtype: DType, shape: [Int])
    /// The file has a parameter the graph does not know.
    case unexpected(name: String, dtype: DType, shape: [Int])
    case wrongShape(name: String, expected: [Int], actual: [Int])
    /// Element types that no conversion reconciles (floating-point types convert into
    /// each other; anything else must match exactly).
    case wrongDType(name: String, expected: DType, actual: DType)

    public var description: String {
        switch self {
        case .missing(let name, let dtype, let shape): "missing '\(name)' (\(dtype)\(shape))"
        case .unexpected(let name, let dtype, let shape): "unexpected '\(name)' (\(dtype)\(shape))"
        case .wrongShape(let name, let expected, let actual): "'\(name)': shape \(actual), expected \(expected)"
        case .wrongDType(let name, let expected, let actual): "'\(name)': dtype \(actual), expected \(expected)"
        }
    }
}
