import Foundation
import ZooGraph
import ZooModels
import ZooTensor
import ZooWeights

/// A zoo model with weights from a file the user holds (a fine-tuned checkpoint, which no
/// manifest pins): any format `WeightsFormat` knows, the configuration adjusted to what the
/// tensors' shapes say, names mapped, and every missing, unexpected or mis-shaped tensor
/// reported at once.
public struct ModelWithWeights: Sendable {
    /// The registry entry with the configuration the weights imply.
    public let entry: ModelEntry
    /// The traced graph with the file's tensors as its initializers.
    public let graph: Graph
    /// What was inferred or done, one line each ("class count 10 (was 1000), from fc.weight [10, 512]").
    public let notes: [String]
    /// Tensors of the file the graph does not use, each "name (dtype[shape]): reason".
    public let ignored: [String]

    /// Reads `file` into the model `entry`; `classCountGiven` keeps the entry's class count
    /// (the user chose it) instead of taking the weights'; `options` is bilm-tf's options.json
    /// for ELMo's weights (the sizes, clips and characters per token its shapes cannot tell).
    public init(_ file: String, model entry: ModelEntry, classCountGiven: Bool = false, options: String? = nil) throws {
        let raw = try WeightsConversion.readTensors(file, options: options)
        let (configured, inferred) = try ConfigurationInference.apply(to: entry, tensors: raw.tensors, classCountGiven: classCountGiven,
                                                                       read: raw)
        let graph = try configured.graph()
        let read = try WeightsConversion.readTensors(raw, for: configured.architecture, graph: graph)
        self.entry = configured
        self.graph = try ParameterMatching.assign(read.tensors, to: graph, file: file)
        self.notes = ["\(file): \(raw.format)"] + inferred + read.notes
        self.ignored = read.ignored
    }

    /// Writes the weights as a ModelZoo HDF5 file (atomically), recording the architecture
    /// and the configuration they imply.
    public func save(to destination: String) throws {
        let configuration = try entry.architecture.configurationText()
        let metadata = WeightsMetadata(architecture: entry.id, configuration: configuration, createdBy: WeightsConversion.creator)
        try WeightsFile.save(graph, metadata: metadata, to: destination)
    }
}

extension Zoo {
    /// The zoo model `id` with the weights in `weights` (see `ModelWithWeights`).
    ///
    ///     let graph = try Zoo.load("resnet50", weights: URL(fileURLWithPath: "finetuned.pth"))
    public static func load(_ id: String, weights: URL) throws -> Graph {
        guard weights.isFileURL else {
            throw PretrainedError.downloadFailed(url: weights.absoluteString, reason: "weights: takes a file; 'zoo fetch' downloads the published weights")
        }
        return try ModelWithWeights(weights.path, model: try model(id)).graph
    }
}

private extension Architecture {
    /// The configuration as JSON text with sorted keys, as weights files record it.
    func configurationText() throws -> String { try JSONValue(encoding: self).canonicalText }
}
