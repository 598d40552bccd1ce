import Foundation
import ZooGraph
import ZooIO
import ZooTensor
import ZooWeights

/// What `verify` checked, one line per check, all passed.
public struct Verification: Sendable, Equatable {
    public var model: String
    public var variant: String
    public var file: String
    public var checks: [String]
}

extension PretrainedZoo {
    /// Checks a model's weights, named by model id (the zoo's or the cache's copy; nothing is
    /// downloaded) or by file (any manifest's weights): the file's size and SHA-256 against
    /// the manifest, every dataset's SHA-256, the architecture and configuration recorded in
    /// the file, the parameters' names, shapes and dtypes against the architecture, the
    /// manifest's input/output spec against the graph, and the golden inputs run through our
    /// executor against the golden outputs. Throws at the first check that fails.
    public func verify(_ target: String, variant name: String? = nil, threads: Int = 1) throws(PretrainedError) -> Verification {
        let (manifest, variant, file) = try resolve(target, variant: name)
        var checks = [Self.fileCheck(variant)]

        let contents: WeightsContents
        do { contents = try WeightsFile.read(file) } catch { throw .weights(error) }
        checks.append(Self.datasetCheck(contents))

        try checkArchitecture(contents.metadata, manifest)
        checks.append("architecture: \(manifest.architecture.id), configured as the manifest says")

        let architecture = try manifest.graph()
        let graph: Graph
        do { graph = try ParameterMatching.assign(contents.parameters, to: architecture, file: file) } catch {
            throw .weights(error)
        }
        let values = graph.initializers.reduce(0) { $0 + $1.tensor.elementCount }
        checks.append("layout: \(graph.initializers.count) parameters (\(values) values) with the architecture's names, shapes and dtypes")

        try checkSpecification(of: graph, manifest)
        checks.append("inputs and outputs: as the manifest specifies")

        let outputs = try GoldenComparison.run(graph, manifest: manifest, directory: "\(directory)/\(manifest.id)", threads: threads)
        if let golden = manifest.golden {
            checks += outputs.map { "golden \(golden.directory): \($0)" }
        } else {
            checks.append("golden: the manifest has no golden outputs, so none were compared")
        }
        return Verification(model: manifest.id, variant: variant.name, file: file, checks: checks)
    }

    static func fileCheck(_ variant: WeightsVariant) -> String {
        if let size = variant.size, let sha256 = variant.sha256 {
            return "file: \(size) bytes, SHA-256 \(sha256) as the manifest pins (variant \(variant.name))"
        }
        let prefix = variant.downloadPin.map { ", converted from a download checked that \($0)" } ?? ""
        return "file: not pinned by the manifest (variant \(variant.name))\(prefix)"
    }

    /// How many datasets carried a SHA-256, each matched by its bytes, and how many carried
    /// none and so were not checked beyond the whole file's digest.
    static func datasetCheck(_ contents: WeightsContents) -> String {
        let hashed = contents.checksummedParameters.count
        let unhashed = contents.parameters.count - hashed
        return "datasets: \(contents.parameters.count); \(hashed) carried a SHA-256 and matched it, "
            + "\(unhashed) carried none (covered only by the file's SHA-256)"
    }

    /// The manifest, variant and file a model id or weights file names. A file is matched to
    /// a variant by its SHA-256; for an id the variant's file must be in the zoo or the cache
    /// and match the manifest's size and SHA-256.
    private func resolve(_ target: String, variant name: String?) throws(PretrainedError) -> (ZooManifest, WeightsVariant, String) {
        let isModel = FileManager.default.fileExists(atPath: "\(directory)/\(target)/manifest.json")
        let isFile = !isModel && FileManager.default.fileExists(atPath: target)
        if !isModel && !isFile && target.contains("/") {
            throw .file(FileError(path: target, reason: "No such file or directory"))
        }
        guard isFile else {
            let manifest = try manifest(target)
            let variant = try manifest.variant(named: name)
            guard let file = location(of: variant, model: target) else { throw notFetched(variant, model: target) }
            try FileDigest.check(file, against: variant, model: target)
            return (manifest, variant, file)
        }
        let digest = try FileDigest.sha256(ofFile: target)
        let manifests = try modelIDs.map { (id) throws(PretrainedError) in try manifest(id) }
        for manifest in manifests {
            if let variant = manifest.weights.first(where: { $0.sha256 == digest && (name == nil || $0.name == name) }) {
                return (manifest, variant, target)
            }
        }
        // Not any manifest's weights: say whose they claim to be.
        let metadata: WeightsMetadata
        do { metadata = try WeightsFile.load(target).metadata } catch { throw .weights(error) }
        guard let claimed = manifests.first(where: { $0.architecture.id == metadata.architecture }) else {
            throw .architectureMismatch(model: metadata.architecture, reason: "\(target) holds weights of this architecture, "
                                        + "but no zoo manifest describes it (manifests: \(modelIDs.joined(separator: ", ")))")
        }
        throw .checksumMismatch(file: target, model: claimed.id, expected: try claimed.variant(named: name).sha256 ?? "no SHA-256 (a conversion of a download)", actual: digest)
    }

    private func checkArchitecture(_ metadata: WeightsMetadata, _ manifest: ZooManifest) throws(PretrainedError) {
        guard metadata.architecture == manifest.architecture.id else {
            throw .architectureMismatch(model: manifest.id, reason: "the weights file is for architecture '\(metadata.architecture)', "
                                        + "the manifest's is '\(manifest.architecture.id)'")
        }
        let expected = try manifest.configurationText()
        guard let recorded = try? JSONValue(decoding: metadata.configuration), recorded == (try? JSONValue(decoding: expected)) else {
            throw .architectureMismatch(model: manifest.id, reason: "the weights file's configuration \(metadata.configuration) "
                                        + "is not the manifest's \(manifest.architecture.config)")
        }
    }

    private func checkSpecification(of graph: Graph, _ manifest: ZooManifest) throws(PretrainedError) {
        let actual = (graph.inputs.map(ZooManifest.TensorSpec.init), graph.outputs.map(ZooManifest.TensorSpec.init))
        for (kind, declared, traced) in [("inputs", manifest.inputs, actual.0), ("outputs", manifest.outputs, actual.1)]
        where declared != traced {
            throw .architectureMismatch(model: manifest.id, reason: "the manifest's \(kind) are \(declared.map(\.description)), "
                                        + "the graph's \(traced.map(\.description))")
        }
    }
}
