import Foundation
import Testing
import ZooGraph
import ZooBlocks
import ZooModels
import ZooPretrained
import ZooRuntime
import ZooTensor
import ZooTestSupport
import ZooWeights

/// Keras Applications' VGG-16, VGG-19 and ResNet-50, saved by Keras 3 in every HDF5 layout
/// (Tests/interop/make_keras_fixtures.py, reduced width, same layer names and structure),
/// converted to our channels-first graphs: each equals Keras's own logits on the same image.
@Suite struct KerasConversionTests {
    static let fixtures = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/keras").path

    /// The fixtures' architectures: Keras Applications' layer structure at the widths the
    /// script builds them with.
    static let architectures: [String: any Architecture] = [
        "vgg16": VGG(stages: [[4, 4], [8, 8], [8, 8, 8], [16, 16, 16], [16, 16, 16]], hiddenSizes: [32, 32], classCount: 10),
        "vgg19": VGG(stages: [[4, 4], [8, 8], [8, 8, 8, 8], [16, 16, 16, 16], [16, 16, 16, 16]], hiddenSizes: [32, 32], classCount: 10),
        "resnet50-keras": {
            var resnet = ResNet.resnet50Keras
            resnet.stageWidth = 4
            resnet.classCount = 10
            resnet.imageSize = 64
            return resnet
        }(),
    ]

    @Test(arguments: ["vgg16.weights.h5", "vgg16_legacy.h5", "vgg16_model.h5", "vgg19.weights.h5", "vgg19_legacy.h5",
                      "resnet50-keras.weights.h5", "resnet50-keras_legacy.h5", "resnet50-keras_model.h5"])
    func convertedModelEqualsKeras(file: String) throws {
        let model = String(file.prefix { $0 != "." && $0 != "_" })
        try expectKerasOutput(model: model, file: "\(Self.fixtures)/\(file)")
    }

    /// Keras 3.0's files name no layers: matched by class and position, as Keras loads them.
    @Test func unnamedKeras3FileEqualsKeras() throws {
        let file = "\(Self.fixtures)/resnet50-keras_unnamed.weights.h5"
        #expect(try KerasWeights.read(file).layers.allSatisfy { $0.name == nil })
        try expectKerasOutput(model: "resnet50-keras", file: file)
    }

    /// Keras 2's own spelling of the layout: fixed-length byte strings, `kernel:0` names.
    @Test func keras2ByteStringFileEqualsKeras() throws {
        try expectKerasOutput(model: "vgg16", file: "\(Self.fixtures)/vgg16_keras2.h5")
    }

    /// `--weights FILE`, `zoo convert` and `Zoo.load(_:weights:)` read through one dispatch
    /// (`ModelWithWeights`), which tells a Keras file from ours by content.
    @Test(arguments: ["vgg16.weights.h5", "vgg16_legacy.h5", "resnet50-keras_model.h5"])
    func theWeightsOptionReadsKerasFiles(file: String) throws {
        let model = String(file.prefix { $0 != "." && $0 != "_" })
        try expectKerasOutput(model: model, file: "\(Self.fixtures)/\(file)", throughWeightsOption: true)
    }

    /// A fine-tuned Keras file (the fixtures have 10 classes) loaded into a 1000-class entry,
    /// as `zoo run vgg16 --weights FILE` does: the class count is read from the last Dense
    /// kernel, said in a note, and the model then equals Keras.
    @Test(arguments: ["vgg16.weights.h5", "vgg16_legacy.h5", "vgg16_keras2.h5", "resnet50-keras_model.h5",
                      "resnet50-keras_unnamed.weights.h5"])
    func classCountIsInferredFromKerasFiles(file: String) throws {
        let model = String(file.prefix { $0 != "." && $0 != "_" })
        let architecture = try #require(Self.architectures[model] as? any ImageClassifier)
        let entry = try ModelEntry(model, architecture, "a Keras fixture").with(classCount: 1000)
        let loaded = try ModelWithWeights("\(Self.fixtures)/\(file)", model: entry)
        #expect((loaded.entry.architecture as? any ImageClassifier)?.classCount == 10)
        let hidden = model == "vgg16" ? 32 : 128
        #expect(loaded.notes.contains("class count 10 (was 1000), from Keras layer predictions, kernel [\(hidden), 10]"), "\(loaded.notes)")
        try expectKerasOutput(model: model, graph: loaded.graph, file: file)
    }

    /// With --classes given, the user's count stands and a different file is a mismatch.
    @Test func givenClassCountIsKept() throws {
        let architecture = try #require(Self.architectures["vgg16"] as? any ImageClassifier)
        let entry = try ModelEntry("vgg16", architecture, "a Keras fixture").with(classCount: 1000)
        #expect(throws: (any Error).self) {
            try ModelWithWeights("\(Self.fixtures)/vgg16.weights.h5", model: entry, classCountGiven: true)
        }
    }

    @Test func layoutsAreDetectedByContent() throws {
        for (file, layout) in [("vgg16.weights.h5", KerasWeights.Layout.keras3), ("vgg16_legacy.h5", .keras2),
                               ("vgg16_keras2.h5", .keras2), ("vgg16_model.h5", .keras2Model)] {
            let view = try ForeignHDF5File.read("\(Self.fixtures)/\(file)", includingData: false)
            #expect(KerasWeights.layout(of: view) == layout, "\(file)")
        }
        #expect(try !KerasConversion.isKerasFile(ScratchZoo.shipped("lenet5")))
    }

    @Test func torchvisionLayoutIsRefused() throws {
        let file = "\(Self.fixtures)/resnet50-keras.weights.h5"
        #expect(throws: PretrainedError.unsupportedConversion(
            file: file, reason: "Keras's ResNets are v1 bottleneck networks with biased convolutions and BatchNorm epsilon "
                + "1.001e-5: convert to resnet50-keras, not to torchvision's layout")) {
            try KerasConversion.load(file, into: ResNet.resnet50, name: "resnet50")
        }
    }

    /// The full-size keras.applications models, written by `scripts/keras_full_size_check.sh`
    /// (too large to commit): run only when KERAS_FULL_SIZE_FIXTURES names their directory.
    static let fullSizeFixtures = ProcessInfo.processInfo.environment["KERAS_FULL_SIZE_FIXTURES"]

    @Test(.enabled(if: fullSizeFixtures != nil), arguments: ["vgg16", "vgg19", "resnet50-keras", "resnet101-keras", "resnet152-keras"],
          ["weights.h5", "_legacy.h5", "_model.h5"])
    func fullSizeModelEqualsKeras(model: String, suffix: String) throws {
        let directory = try #require(Self.fullSizeFixtures)
        let architectures: [String: any Architecture] = [
            "vgg16": VGG.d, "vgg19": VGG.e, "resnet50-keras": ResNet.resnet50Keras, "resnet101-keras": ResNet.resnet101Keras,
            "resnet152-keras": ResNet.resnet152Keras,
        ]
        try expectKerasOutput(model: model, file: "\(directory)/\(model)\(suffix == "weights.h5" ? "." : "")\(suffix)",
                              architecture: try #require(architectures[model]), fixtures: directory)
    }

    private func expectKerasOutput(
        model: String, file: String, architecture: (any Architecture)? = nil, fixtures: String = fixtures,
        throughWeightsOption: Bool = false
    ) throws {
        let architecture = try #require(architecture ?? Self.architectures[model])
        let graph = throughWeightsOption
            ? try ModelWithWeights(file, model: ModelEntry(model, architecture, "a Keras fixture"), classCountGiven: true).graph
            : try KerasConversion.load(file, into: architecture, name: model)
        try expectKerasOutput(model: model, graph: graph, file: file, fixtures: fixtures)
    }

    private func expectKerasOutput(model: String, graph: Graph, file: String, fixtures: String = fixtures) throws {
        // Keras's input is channels-last; ours is the same image channels-first.
        let stored = try NPYFile.read(from: "\(fixtures)/\(model)_input.npy")  // float16, widened exactly
        let image = try Tensor(shape: stored.shape, scalars: stored.doubleValues.map { Float($0) }).permutingAxes([0, 3, 1, 2])
        let reference = try NPYFile.read(from: "\(fixtures)/\(model)_output.npy")
        let logits = try #require(try Session(graph: graph, options: SessionOptions(threads: 2)).run(["image": image])["logits"])
        let tolerance = Tolerance.wholeModel(reference, rtol: 1e-4)
        #expect(logits.mismatch(against: reference, tolerance) == nil, "\(file) against Keras, \(tolerance)")
    }
}
