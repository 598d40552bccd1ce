import Foundation
import Testing
import ZooIO
import ZooModels
@testable import ZooPretrained
import ZooRuntime
import ZooTensor
import ZooTestSupport
import ZooWeights

/// ELMo's weights in bilm-tf's HDF5 layout (the files AllenNLP publishes) read into the zoo's
/// `elmo` through `--weights`' dispatch, against an independent numpy forward pass of bilm-tf's
/// computation (Tests/interop/elmo_reference.py; fixtures by make_elmo_fixtures.py: a small
/// biLM of seeded random values, 2 layers, 10 cells projected to 6, 16 filters).
@Suite struct ELMoConversionTests {
    static let fixtures = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/elmo").path
    static let weights = "\(fixtures)/elmo_weights.hdf5"
    static let options = "\(fixtures)/elmo_options.json"

    /// Our representation of the fixture's char ids with `file`'s weights (and `options`, as `--options` gives it).
    private func representation(_ file: String, options: String? = nil) throws -> (output: Tensor, loaded: ModelWithWeights) {
        let loaded = try ModelWithWeights(file, model: try Zoo.model("elmo"), options: options)
        let ids = try NPYFile.read(from: "\(Self.fixtures)/elmo_char_ids.npy")
        let output = try Session(graph: loaded.graph, options: SessionOptions(threads: 2)).run(["char_ids": ids])["representation"]
        return (try #require(output), loaded)
    }

    /// Whole-model tolerance: rtol 1e-4, atol 1e-5 + 1e-4·max|reference|.
    private func tolerance(_ reference: Tensor) -> Tolerance { Tolerance.wholeModel(reference, rtol: 1e-4) }

    @Test func weightsOptionEqualsNumpyReference() throws {
        let (output, loaded) = try representation(Self.weights, options: Self.options)
        let reference = try NPYFile.read(from: "\(Self.fixtures)/elmo_output.npy")
        #expect(output.mismatch(against: reference, tolerance(reference)) == nil, "against elmo_reference.py, \(tolerance(reference))")
        #expect(loaded.notes.first == "\(Self.weights): bilm-tf (ELMo) HDF5")
        let elmo = try #require(loaded.entry.architecture as? ELMo)
        #expect(elmo.maxCharacters == 12 && elmo.cellSize == 10 && elmo.projectionSize == 6 && elmo.highwayCount == 2)
        #expect(elmo.filters.map(\.count) == [4, 4, 8] && elmo.characterEmbeddingSize == 5 && elmo.cellClip == 3)
        #expect(loaded.notes.contains { $0.hasPrefix("ELMo configuration from \(Self.options)") })
    }

    /// `zoo convert`'s zoo HDF5 file records the configuration (clips, characters per token),
    /// so it runs as the bilm-tf file did.
    @Test func convertedZooFileRunsTheSame() throws {
        let converted = FileManager.default.temporaryDirectory.appendingPathComponent("elmo-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: converted) }
        try ModelWithWeights(Self.weights, model: try Zoo.model("elmo"), options: Self.options).save(to: converted)
        let (output, loaded) = try representation(converted)
        let reference = try NPYFile.read(from: "\(Self.fixtures)/elmo_output.npy")
        #expect(output.mismatch(against: reference, tolerance(reference)) == nil)
        #expect(loaded.notes.contains("ELMo configuration as the file records it (elmo)"))
    }

    /// The reference with TensorFlow's gate blocks read in our order, or without the forget
    /// bias, is far outside the tolerance: the test above fails on either mistake.
    @Test(arguments: ["elmo_wrong_gate_order.npy", "elmo_wrong_forget_bias.npy"])
    func wrongConventionsAreTellable(file: String) throws {
        let reference = try NPYFile.read(from: "\(Self.fixtures)/elmo_output.npy")
        let wrong = try NPYFile.read(from: "\(Self.fixtures)/\(file)")
        #expect(wrong.mismatch(against: reference, tolerance(reference)) != nil)
    }

    /// Without --options the sizes come from the shapes; characters per token cannot. An
    /// options file beside the weights is not used unasked, only named.
    @Test func configurationFromShapesWithoutOptions() throws {
        let loaded = try ModelWithWeights(Self.weights, model: try Zoo.model("elmo"))
        var fromOptions = try #require(try ModelWithWeights(Self.weights, model: try Zoo.model("elmo"), options: Self.options).entry.architecture as? ELMo)
        fromOptions.maxCharacters = ELMo.small.maxCharacters
        #expect(try JSONValue(encoding: try #require(loaded.entry.architecture as? ELMo)) == JSONValue(encoding: fromOptions))
        #expect(loaded.notes.contains { $0.hasPrefix("ELMo configuration from the tensor shapes (no --options file; ")
            && $0.contains("\(Self.options) lies beside them: pass it with --options): characters 262 x 5, 50 per token, filters 1x4 2x4 3x8, ") },
                "\(loaded.notes)")
    }

    @Test func missingOptionsFileIsNamed() throws {
        let missing = "\(Self.fixtures)/no_such_options.json"
        #expect(throws: PretrainedError.optionsNotFound(file: missing)) {
            try ModelWithWeights(Self.weights, model: try Zoo.model("elmo"), options: missing)
        }
        #expect(PretrainedError.optionsNotFound(file: missing).description
            == "\(missing): no such options file (--options takes bilm-tf's options.json, published beside ELMo's weights)")
    }

    /// An options file says nothing about other formats' weights: given with them, it is refused.
    @Test func optionsWithOtherWeightsAreRefused() throws {
        let lenet = ScratchZoo.shipped("lenet5")
        #expect(throws: PretrainedError.optionsNotApplicable(options: Self.options, weights: lenet, format: "ModelZoo HDF5")) {
            try ModelWithWeights(lenet, model: try Zoo.model("lenet5"), options: Self.options)
        }
    }

    /// With its options file, every dataset that disagrees with the options is listed at once,
    /// as the options' disagreement with the weights; without it the shapes configure the
    /// model and the file is still refused.
    @Test func incompleteFileListsEveryMismatch() throws {
        let file = "\(Self.fixtures)/hostile/incomplete/elmo_weights.hdf5"
        let options = "\(Self.fixtures)/hostile/incomplete/elmo_options.json"
        let expected = PretrainedError.optionsContradictWeights(options: options, error: .parametersDoNotMatch(file: file, mismatches: [
            .missing(name: "CNN/W_cnn_1", dtype: .float32, shape: [1, 2, 5, 4]),
            .wrongShape(name: "CNN_proj/W_proj", expected: [16, 6], actual: [16, 7]),
            .missing(name: "RNN_1/RNN/MultiRNNCell/Cell1/LSTMCell/B", dtype: .float32, shape: [40]),
            .unexpected(name: "CNN_proj/extra", dtype: .float32, shape: [3]),
        ]))
        #expect(throws: expected) { try representation(file, options: options) }
        #expect(expected.description.hasPrefix("the configuration in \(options) does not fit the weights: \(file): 4 parameters do not match"))
        #expect(throws: PretrainedError.self) { try representation(file) }
    }

    /// Sizes in options.json are checked before any arithmetic or graph uses them, and must
    /// agree with the file's shapes (all disagreements listed).
    @Test func hostileOptionsAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("elmo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appendingPathComponent("elmo_weights.hdf5").path, options = directory.appendingPathComponent("elmo_options.json").path
        try FileManager.default.copyItem(atPath: Self.weights, toPath: weights)
        let original = try String(contentsOfFile: "\(Self.fixtures)/elmo_options.json", encoding: .utf8)
        try original.replacingOccurrences(of: "\"dim\": 10", with: "\"dim\": 9223372036854775807").write(toFile: options, atomically: true, encoding: .utf8)
        #expect(throws: PretrainedError.weights(.invalidForeignFile(file: options, format: "bilm-tf options",
                                                                    reason: "lstm.dim is out of range (9223372036854775807)"))) {
            try ModelWithWeights(weights, model: try Zoo.model("elmo"), options: options)
        }
        try original.replacingOccurrences(of: "\"n_layers\": 2", with: "\"n_layers\": 3").write(toFile: options, atomically: true, encoding: .utf8)
        #expect(throws: PretrainedError.optionsContradictWeights(options: options, error: .parametersDoNotMatch(file: weights, mismatches: (0..<2).flatMap { direction in
            ["W_0", "B", "W_P_0"].map { name in
                ParameterMismatch.missing(name: "RNN_\(direction)/RNN/MultiRNNCell/Cell2/LSTMCell/\(name)", dtype: .float32,
                                          shape: ["W_0": [12, 40], "B": [40], "W_P_0": [10, 6]][name] ?? [])
            }
        }))) { try ModelWithWeights(weights, model: try Zoo.model("elmo"), options: options) }
    }

    @Test func unsupportedActivationIsRefused() throws {
        let directory = "\(Self.fixtures)/hostile/tanh"
        #expect(throws: PretrainedError.unsupportedConversion(
            file: "\(directory)/elmo_options.json", reason: "the zoo's ELMo has a relu character CNN, the options say 'tanh'")) {
            try ModelWithWeights("\(directory)/elmo_weights.hdf5", model: try Zoo.model("elmo"), options: "\(directory)/elmo_options.json")
        }
    }

    @Test func otherArchitecturesAreRefused() throws {
        #expect(throws: PretrainedError.self) { try ModelWithWeights(Self.weights, model: try Zoo.model("lenet5")) }
    }

    /// AllenNLP's published options files configure `elmo` and `elmo-original` exactly.
    @Test func publishedOptionsGiveTheZoosModels() throws {
        for (json, expected, id) in [(Self.options(cells: 4096, projection: 512, highways: 2), ELMo.original, "elmo-original"),
                                     (Self.options(cells: 1024, projection: 128, highways: 1), ELMo.small, "elmo")] {
            let options = try JSONDecoder().decode(BilmOptions.self, from: Data(json.utf8))
            var elmo = ELMo(highwayCount: 0, projectionSize: 1, cellSize: 1, layerCount: 1, cellClip: nil, projectionClip: nil)
            try BilmConversion.apply(options, to: &elmo, file: "options.json")
            #expect(try JSONValue(encoding: elmo) == JSONValue(encoding: expected), "\(id)")
            #expect(try JSONValue(encoding: Zoo.model(id).architecture) == JSONValue(encoding: expected))
        }
    }

    /// elmo_2x…_options.json as AllenNLP publishes it.
    private static func options(cells: Int, projection: Int, highways: Int) -> String {
        """
        {"lstm": {"use_skip_connections": true, "projection_dim": \(projection), "cell_clip": 3, "proj_clip": 3, "dim": \(cells), \
        "n_layers": 2}, "char_cnn": {"activation": "relu", "filters": [[1, 32], [2, 32], [3, 64], [4, 128], [5, 256], [6, 512], \
        [7, 1024]], "n_highway": \(highways), "embedding": {"dim": 16}, "n_characters": 262, "max_characters_per_token": 50}}
        """
    }
}
