import ZooBlocks
import ZooGraph
import ZooTensor

/// A network family with its configuration: a Codable value (so manifests and weight files
/// can record it) that knows its inputs and traces itself into a graph.
public protocol Architecture: Codable, Sendable {
    var task: ModelTask { get }
    /// Graph inputs, with symbolic `batch` (and `seq` for sequence models).
    var inputs: [InputSpec] { get }
    /// Checks what no block can check on its own (counts, sizes that must agree); blocks
    /// check their own sizes while tracing.
    func validate() throws
    /// Traces the network from its graph inputs (in the order of `inputs`), returning the
    /// graph outputs with their names.
    func trace(_ inputs: [Value], _ tracer: inout Tracer) throws -> [(name: String, value: Value)]
}

/// An image classifier whose input resolution and class count can be changed.
public protocol ImageClassifier: Architecture {
    var imageSize: Size2D { get set }
    var classCount: Int { get set }
}

/// What a model computes.
public enum ModelTask: Sendable, Hashable, Codable {
    /// Logits over `classCount` classes.
    case classifier(classCount: Int)
    /// Contextual representations of size `hiddenSize` per position.
    case encoder(hiddenSize: Int)
    /// Next-token logits over `vocabularySize` tokens.
    case languageModel(vocabularySize: Int)
}

/// One graph input: name, element type and dimensions (symbolic ones named `batch`, `seq`),
/// with the concrete shape to use when a caller has no preference.
public struct InputSpec: Sendable, Hashable {
    public var name: String
    public var dtype: DType
    public var dims: [Dim]
    /// `dims` with every symbol at its default size (`defaultSymbolSizes`).
    public var defaultShape: [Int] {
        dims.map { $0.value ?? Self.defaultSymbolSizes[$0.description] ?? 1 }
    }

    public static let defaultSymbolSizes = ["batch": 1, "seq": 128]

    public init(name: String, dtype: DType, dims: [Dim]) {
        self.name = name
        self.dtype = dtype
        self.dims = dims
    }

    public var type: TensorType { TensorType(dtype, dims) }

    /// A float32 `[batch, channels, height, width]` image input named `image`.
    public static func image(channels: Int, size: Size2D) -> InputSpec {
        InputSpec(name: "image", dtype: .float32, dims: [.symbolic("batch"), .fixed(channels), .fixed(size.height), .fixed(size.width)])
    }
}

extension ImageClassifier {
    public var task: ModelTask { .classifier(classCount: classCount) }
}

extension Architecture {
    public func validate() throws {}

    /// Validates the configuration and traces the network into a validated graph.
    public func graph(name: String, initialization: ParameterInitialization = .zeros) throws -> Graph {
        for input in inputs {
            guard input.dims.allSatisfy({ ($0.value ?? 1) >= 1 }) else {
                throw ConfigurationError.architecture(name: name, message: "input '\(input.name)' \(input.type) has a size that is not positive")
            }
        }
        try validate()
        var tracer = Tracer(graphName: name, initialization: initialization)
        var values: [Value] = []
        for input in inputs { values.append(try tracer.input(input.name, input.type)) }
        for output in try trace(values, &tracer) { try tracer.output(output.value, as: output.name) }
        return try tracer.build()
    }
}

/// Throws a configuration error for `architecture` unless `condition` holds.
func require(_ condition: Bool, _ architecture: String, _ message: @autoclosure () -> String) throws {
    guard condition else { throw ConfigurationError.architecture(name: architecture, message: message()) }
}
