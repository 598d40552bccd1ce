import Foundation
import ZooIO

/// Where pretrained models live: the zoo directory, with one folder per model holding its
/// manifest, model card, golden files and small weights (`Zoo/<id>/`), and the cache that
/// fetched or converted weights go to (`<cache>/<id>/<file>`).
///
///     let zoo = PretrainedZoo.standard
///     try zoo.fetch("bert-minilm-l6", from: "model.safetensors")   // convert once
///     let model = try zoo.load("bert-minilm-l6")                    // graph + weights + tokenizer
///     print(try zoo.verify("bert-minilm-l6").checks)
public struct PretrainedZoo: Sendable {
    /// The folder holding `<id>/manifest.json`.
    public var directory: String
    public var cache: String

    public init(directory: String, cache: String) {
        self.directory = directory
        self.cache = cache
    }

    /// `$ZOO_MANIFESTS`, else the `Zoo/` folder of the source tree this library was built
    /// from; `$ZOO_CACHE`, else `$XDG_CACHE_HOME/modelzoo`, else `~/.cache/modelzoo`.
    public static var standard: PretrainedZoo {
        let environment = ProcessInfo.processInfo.environment
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let cacheHome = environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache"
        return PretrainedZoo(
            directory: environment["ZOO_MANIFESTS"] ?? sourceTree.appendingPathComponent("Zoo").path,
            cache: environment["ZOO_CACHE"] ?? cacheHome + "/modelzoo")
    }

    /// The ids of every model with a manifest, sorted.
    public var modelIDs: [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: "\(directory)/\($0)/manifest.json") }.sorted()
    }

    public func manifest(_ id: String) throws(PretrainedError) -> ZooManifest {
        let path = "\(directory)/\(id)/manifest.json"
        guard FileManager.default.fileExists(atPath: path) else {
            throw .noManifest(model: id, directory: directory, available: modelIDs)
        }
        let manifest = try ZooManifest.read(from: path)
        guard manifest.id == id else {
            throw .invalidManifest(file: path, reason: "its id is '\(manifest.id)', but it lies in the folder of '\(id)'")
        }
        return manifest
    }

    /// A file that ships next to the manifest (weights, vocabulary, golden data).
    public func shippedFile(_ name: String, of id: String) -> String { "\(directory)/\(id)/\(name)" }

    /// Where the cache keeps a variant's file.
    public func cacheFile(of variant: WeightsVariant, model id: String) -> String { "\(cache)/\(id)/\(variant.file)" }

    /// Where the variant's file is now, shipped or cached, without checking it; nil when it
    /// has not been fetched.
    public func location(of variant: WeightsVariant, model id: String) -> String? {
        [shippedFile(variant.file, of: id), cacheFile(of: variant, model: id)].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The error for weights that are nowhere yet, with what to do about it.
    func notFetched(_ variant: WeightsVariant, model id: String) -> PretrainedError {
        .notFetched(model: id, cacheFile: cacheFile(of: variant, model: id),
                    hint: variant.url == nil && variant.download == nil
                        ? "convert them from the original with 'zoo fetch \(id) --from FILE' (origin: \(variant.source.origin))"
                        : "download them with 'zoo fetch \(id)'")
    }
}
