import ZooBlocks
import ZooGraph

/// A registered model: an id, a one-line description and an architecture configuration.
public struct ModelEntry: Sendable {
    public let id: String
    public let summary: String
    public let architecture: any Architecture

    public init(_ id: String, _ architecture: any Architecture, _ summary: String) {
        self.id = id
        self.summary = summary
        self.architecture = architecture
    }

    public var task: ModelTask { architecture.task }
    public var inputs: [InputSpec] { architecture.inputs }

    /// The traced, validated graph, named after the model id.
    public func graph(initialization: ParameterInitialization = .zeros) throws -> Graph {
        try architecture.graph(name: id, initialization: initialization)
    }

    /// The same model at another input resolution and/or class count (image classifiers only).
    public func with(imageSize: Size2D? = nil, classCount: Int? = nil) throws(ZooError) -> ModelEntry {
        guard var classifier = architecture as? any ImageClassifier else {
            throw .notAnImageClassifier(id: id)
        }
        if let imageSize { classifier.imageSize = imageSize }
        if let classCount { classifier.classCount = classCount }
        return ModelEntry(id, classifier, summary)
    }
}

/// Failures of registry look-ups.
public enum ZooError: Error, Equatable, CustomStringConvertible {
    case unknownModel(id: String, known: [String])
    case notAnImageClassifier(id: String)

    public var description: String {
        switch self {
        case .unknownModel(let id, let known):
            "no model '\(id)' in the zoo; known models: \(known.joined(separator: ", "))"
        case .notAnImageClassifier(let id):
            "'\(id)' is not an image classifier: it has no image size or class count to change"
        }
    }
}
