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

    /// Two that ship their weights, and those torchvision or Keras Applications publish ImageNet weights for.
    static let models = ["alexnet", "bert-base", "bert-large", "bert-minilm-l6", "googlenet", "lenet5", "resnet101", "resnet101-keras", "resnet152", "resnet152-keras",
                         "resnet18", "resnet34", "resnet50", "resnet50-keras",
                         "vgg11", "vgg11-bn", "vgg13", "vgg13-bn", "vgg16", "vgg16-bn", "vgg19", "vgg19-bn"]

    @Test func theZooHasItsPretrainedModels() {
        #expect(Self.zoo.modelIDs == Self.models)
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

    /// What a publisher sets when it builds the model for its weights, beyond the registry's
    /// configuration (torchvision's own defaults without weights).
    static let publisherOptions: [String: any Architecture] = ["googlenet": GoogLeNet.torchvisionPretrained]

    @Test(arguments: models)
    func configurationIsTheRegistrys(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        let registered = try Self.publisherOptions[id] ?? Zoo.model(manifest.architecture.id).architecture
        #expect(try manifest.configurationText() == JSONValue(encoding: registered).canonicalText)
    }

    @Test(arguments: models)
    func referenceCountsAreZooAnalysiss(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        let report = try ComplexityReport(counting: try manifest.graph(), options: CountOptions(symbolValues: manifest.complexity.symbols))
        #expect(report.total.trainableParameters == manifest.complexity.parameters)
        #expect(report.total.macs.constantValue == manifest.complexity.macs)
    }

    @Test(arguments: models)
    func everyNamedFileIsThere(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        let golden = manifest.golden.map { golden in (golden.inputs + golden.outputs).map { "\(golden.directory)/\($0)" } } ?? []
        let named = [manifest.preprocessing.tokenizer?.vocabulary, manifest.preprocessing.labels].compactMap { $0 }
        for file in golden + named {
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

    /// Hugging Face's pages show the whole SHA-256 of an upstream file: pinned in full and said so.
    @Test func wholeUpstreamHashesAreSaidToBeWhole() throws {
        let variant = try Self.zoo.manifest("bert-base").weights[0]
        #expect(variant.downloadPin == "its SHA-256 is 68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3 "
            + "(the whole hash, as its publisher gives it)")
        #expect(try Self.zoo.manifest("resnet18").weights[0].downloadPin?.hasSuffix("(the only hash its publisher gives; not a full SHA-256)") == true)
    }

    @Test func aModelWithoutManifestIsAClearError() {
        #expect(throws: PretrainedError.noManifest(model: "nin", directory: Self.zoo.directory, available: Self.models)) {
            try Self.zoo.manifest("nin")
        }
    }

    /// Every image classifier's recipes (the manifest's and each variant's) are valid and fit
    /// its input, and its labels name its classes.
    @Test(arguments: models)
    func imageRecipesAndLabelsFit(_ id: String) throws {
        let manifest = try Self.zoo.manifest(id)
        for variant in manifest.weights {
            let classification = try Self.zoo.imageClassification(of: manifest, variant: variant.name)
            #expect((classification == nil) == (manifest.preprocessing.image == nil && variant.image == nil))
        }
    }

    /// A variant converted from a download pins it by SHA-256 prefix; the schema refuses one
    /// that also pins the converted file, or pins neither a prefix nor an MD5.
    @Test func theSchemaTiesDownloadsToPrefixes() throws {
        let download: [String: Any] = ["url": "https://example.org/w.pth", "file": "w.pth", "sha256_prefix": "0123abcd"]
        let both = try ScratchZoo(variant: ["download": download])
        let noPrefix = try ScratchZoo(variant: ["download": ["url": "https://example.org/w.pth", "file": "w.pth"], "sha256": NSNull(), "size": NSNull()])
        for (scratch, expected) in [(both, "weights/0: "), (noPrefix, "weights/0/download: ")] {
            let path = "\(scratch.zoo.directory)/lenet5/manifest.json"
            let errors = try #require(try Python.json([String: [String]].self, script: "validate_manifests.py", [Self.schema, path])[path])
            #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
        }
    }
}
