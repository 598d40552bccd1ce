import Foundation
import Testing
import ZooAnalysis
import ZooModels
import ZooPretrained
import ZooTestSupport

/// Every manifest in Zoo/ against the JSON Schema (by the jsonschema package), the registry,
/// the counter and the files it names.
@Suite struct ManifestTests {
    static let zoo = PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent")
    static let schema = Python.repositoryRoot.appendingPathComponent("Schemas/zoo-manifest.schema.json").path

    @Test func theZooHasTheTwoPretrainedModels() {
        #expect(Self.zoo.modelIDs == ["bert-minilm-l6", "lenet5"])
    }

    @Test func everyManifestIsValidUnderTheSchema() throws {
        let paths = Self.zoo.modelIDs.map { "\(Self.zoo.directory)/\($0)/manifest.json" }
        let report = try Python.json([String: [String]].self, script: "validate_manifests.py", [Self.schema] + paths)
        #expect(report.keys.sorted() == paths.sorted())
        for (path, errors) in report { #expect(errors.isEmpty, "\(path): \(errors)") }
    }

    /// The schema has teeth: a manifest with a short SHA-256, no size and an unknown field fails.
    @Test func theSchemaRejectsABrokenManifest() throws {
        let broken = try ScratchZoo(variant: ["sha256": "abc123", "size": NSNull(), "mirror": "x"])
        let path = "\(broken.zoo.directory)/lenet5/manifest.json"
        let errors = try #require(try Python.json([String: [String]].self, script: "validate_manifests.py", [Self.schema, path])[path])
        #expect(errors.contains { $0.hasPrefix("weights/0/sha256:") })
        #expect(errors.contains { $0.hasPrefix("weights/0/size:") })
        #expect(errors.contains { $0.contains("'mirror' was unexpected") })
    }

    @Test(arguments: ["bert-minilm-l6", "lenet5"])
    func configurationIsTheRegistrys(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        let registered = try Zoo.model(manifest.architecture.id).architecture
        #expect(try manifest.configurationText() == JSONValue(encoding: registered).canonicalText)
    }

    @Test(arguments: ["bert-minilm-l6", "lenet5"])
    func referenceCountsAreZooAnalysiss(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        let report = try ComplexityReport(counting: try manifest.graph(), options: CountOptions(symbolValues: manifest.complexity.symbols))
        #expect(report.total.trainableParameters == manifest.complexity.parameters)
        #expect(report.total.macs.constantValue == manifest.complexity.macs)
    }

    @Test(arguments: ["bert-minilm-l6", "lenet5"])
    func everyNamedFileIsThere(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        let files = manifest.golden.inputs + manifest.golden.outputs
        for file in files.map({ "\(manifest.golden.directory)/\($0)" }) + [manifest.preprocessing.tokenizer?.vocabulary].compactMap({ $0 }) {
            #expect(FileManager.default.fileExists(atPath: Self.zoo.shippedFile(file, of: id)), "\(file)")
        }
    }

    @Test func aManifestThatCannotBeDecodedNamesTheField() throws {
        let broken = try ScratchZoo(variant: ["size": "large"])
        #expect(throws: PretrainedError.self) { try broken.zoo.manifest("lenet5") }
        do { _ = try broken.zoo.manifest("lenet5") } catch {
            #expect(error.description.hasSuffix("manifest.json: invalid zoo manifest: .weights[0].size: Expected to decode Int but found a string instead."))
        }
    }

    @Test func aModelWithoutManifestIsAClearError() {
        #expect(throws: PretrainedError.noManifest(model: "resnet18", directory: Self.zoo.directory, available: ["bert-minilm-l6", "lenet5"])) {
            try Self.zoo.manifest("resnet18")
        }
    }
}
