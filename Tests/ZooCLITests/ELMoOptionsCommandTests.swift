import Foundation
import ModelZoo
import Testing
import ZooTestSupport

/// `--options FILE`: bilm-tf's options.json given with ELMo's weights on the command line
/// (Tests/Fixtures/elmo, written by make_elmo_fixtures.py), against the numpy reference
/// forward pass (elmo_reference.py) within rtol 1e-4, atol 1e-5 + 1e-4·max|reference|.
@Suite struct ELMoOptionsCommandTests {
    static let fixtures = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/elmo").path
    static let weights = "\(fixtures)/elmo_weights.hdf5"
    static let options = "\(fixtures)/elmo_options.json"
    static let input = ["--input", "char_ids=\(fixtures)/elmo_char_ids.npy"]

    @Test func runWithOptionsEqualsTheReference() throws {
        let notes = try PyTorchWeightsCommandTests.expectPyTorchOutputs(
            ["run", "elmo", "--weights", Self.weights, "--options", Self.options] + Self.input,
            ["representation": "\(Self.fixtures)/elmo_output.npy"])
        #expect(notes.contains("weights: ELMo configuration from \(Self.options): characters 262 x 5, 12 per token,"))
    }

    /// The options say 12 characters per token, the shapes cannot: without --options the zoo's
    /// 50 stand, so the fixture's [2, 5, 12] ids no longer fit, and the note says why.
    @Test func withoutOptionsTheNoteNamesTheFileBeside() throws {
        let result = try ZooTool.run(["count", "elmo", "--weights", Self.weights])
        #expect(result.status == 0)
        #expect(result.errors.contains("no --options file; clips and characters per token as the zoo's; "
            + "\(Self.options) lies beside them: pass it with --options): characters 262 x 5, 50 per token"), "\(result.errors)")
    }

    @Test func convertRecordsTheOptions() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let converted = "\(directory)/elmo.h5"
        let result = try ZooTool.succeed(["convert", Self.weights, "--model", "elmo", "--options", Self.options, "-o", converted])
        #expect(result.output.contains("ELMo configuration from \(Self.options)"))
        try PyTorchWeightsCommandTests.expectPyTorchOutputs(["run", "elmo", "--weights", converted] + Self.input,
                                                            ["representation": "\(Self.fixtures)/elmo_output.npy"])
    }

    @Test func missingOrMisplacedOptionsAreClearErrors() throws {
        let missing = "\(Self.fixtures)/no_such_options.json"
        let absent = try ZooTool.run(["count", "elmo", "--weights", Self.weights, "--options", missing])
        #expect(absent.status != 0)
        #expect(absent.errors.contains("\(missing): no such options file (--options takes bilm-tf's options.json"), "\(absent.errors)")

        let alone = try ZooTool.run(["count", "elmo", "--options", Self.options])
        #expect(alone.status != 0)
        #expect(alone.errors.contains("--options configures ELMo's bilm-tf weights: give them with --weights"), "\(alone.errors)")

        let lenet = Python.repositoryRoot.appendingPathComponent("Zoo/lenet5/weights.h5").path
        let other = try ZooTool.run(["count", "lenet5", "--weights", lenet, "--options", Self.options])
        #expect(other.status != 0)
        #expect(other.errors.contains("\(Self.options): an options file configures ELMo's bilm-tf weights, but \(lenet) is ModelZoo HDF5"),
                "\(other.errors)")

        let contradicting = "\(Self.fixtures)/hostile/incomplete/elmo_options.json"
        let wrong = try ZooTool.run(["count", "elmo", "--weights", "\(Self.fixtures)/hostile/incomplete/elmo_weights.hdf5",
                                     "--options", contradicting])
        #expect(wrong.status != 0)
        #expect(wrong.errors.contains("the configuration in \(contradicting) does not fit the weights: "), "\(wrong.errors)")
        #expect(wrong.errors.contains("missing 'CNN/W_cnn_1' (float32[1, 2, 5, 4])"))
    }
}
