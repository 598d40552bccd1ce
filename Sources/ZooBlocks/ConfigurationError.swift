/// An impossible configuration: a size that is not positive, heads that do not divide the
/// hidden size, a stride of zero. Thrown while tracing, naming the block by its path, or
/// before tracing, naming the architecture.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// A block at `path` (its parameters are named `path.…`) of type `block` cannot be built.
    case block(path: String, block: String, message: String)
    /// An architecture's configuration is inconsistent as a whole.
    case architecture(name: String, message: String)

    public var description: String {
        switch self {
        case .block(let path, let block, let message):
            "block '\(path.isEmpty ? "<root>" : path)' (\(block)): \(message)"
        case .architecture(let name, let message):
            "\(name) configuration: \(message)"
        }
    }
}
