import ZooBlocks
import ZooGraph
import ZooModels
import ZooText
import ZooWeights

/// A zoo model with its pretrained weights in place, ready for a `Session`.
public struct PretrainedModel: Sendable {
    public let manifest: ZooManifest
    /// The architecture traced with the weights as initializers, named after the model id.
    public let graph: Graph
    /// The weights file the parameters came from.
    public let weightsFile: String
    /// The tokenizer of text models, nil for others.
    public let tokenizer: WordPieceTokenizer?
}

extension PretrainedZoo {
    /// The model `id` with its weights: fetched as `fetch` does (the zoo's or the cache's
    /// copy, else a download; never a conversion), checked against the manifest (a damaged
    /// cached file is an error naming it, which `fetch` repairs), and loaded with every
    /// dataset's checksum and the layout checked.
    public func load(_ id: String, variant: String? = nil, progress: DownloadProgress? = nil) throws(PretrainedError) -> PretrainedModel {
        let manifest = try manifest(id)
        let file = try fetch(id, variant: variant, progress: progress, replacingDamaged: false).file
        let architecture = try manifest.graph()
        let graph: Graph
        do { graph = try WeightsFile.load(file, into: architecture) } catch { throw .weights(error) }
        return PretrainedModel(manifest: manifest, graph: graph, weightsFile: file, tokenizer: try tokenizer(of: manifest))
    }

    private func tokenizer(of manifest: ZooManifest) throws(PretrainedError) -> WordPieceTokenizer? {
        guard let specification = manifest.preprocessing.tokenizer else { return nil }
        let path = shippedFile(specification.vocabulary, of: manifest.id)
        let digest = try FileDigest.sha256(ofFile: path)
        guard digest == specification.sha256 else {
            throw .checksumMismatch(file: path, model: manifest.id, expected: specification.sha256, actual: digest)
        }
        do { return try WordPieceTokenizer(vocabularyFile: path, lowercase: specification.lowercase) } catch { throw .text(error) }
    }
}

extension Zoo {
    /// The zoo model `id` as a graph: with its pretrained weights (see `PretrainedZoo.load`),
    /// or traced with `initialization`.
    ///
    ///     let graph = try Zoo.load("bert-minilm-l6", pretrained: true)
    public static func load(_ id: String, pretrained: Bool, initialization: ParameterInitialization = .zeros) throws -> Graph {
        pretrained ? try PretrainedZoo.standard.load(id).graph : try model(id).graph(initialization: initialization)
    }

    /// The zoo model `id` with its pretrained weights and, for text models, its tokenizer.
    public static func pretrained(_ id: String) throws(PretrainedError) -> PretrainedModel {
        try PretrainedZoo.standard.load(id)
    }
}
