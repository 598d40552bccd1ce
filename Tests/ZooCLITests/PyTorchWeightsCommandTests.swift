import Foundation
import ModelZoo
import Testing
import ZooTestSupport

/// `--weights FILE` and `zoo convert` on checkpoints torch.save wrote
/// (Tests/interop/make_pytorch_checkpoints.py): each model's outputs equal PyTorch's on the
/// same inputs, within rtol 1e-4 and atol 1e-5 + 1e-4·max|reference|.
@Suite struct PyTorchWeightsCommandTests {
    static let fixtures = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/checkpoints").path

    /// Runs `zoo` and compares each named output with PyTorch's `.npy`; returns what it
    /// printed on standard error (the weights notes).
    @discardableResult
    static func expectPyTorchOutputs(_ arguments: [String], _ references: [String: String],
                                     environment: [String: String] = [:]) throws -> String {
        let directory = try temporaryDirectory()
        let result = try ZooTool.succeed(arguments + ["--output", directory, "--threads", "2"], environment: environment)
        for (output, reference) in references.sorted(by: { $0.key < $1.key }) {
            let expected = try NPYFile.read(from: reference)
            let actual = try NPYFile.read(from: "\(directory)/\(output).npy")
            let tolerance = Tolerance.wholeModel(expected, rtol: 1e-4, atol: 1e-5, fraction: 1e-4)
            let mismatch = actual.mismatch(against: expected, tolerance)
            #expect(mismatch == nil, "\(output): \(mismatch.map { "\($0)" } ?? "")")
        }
        return result.errors
    }

    static var lstmArguments: [String] {
        ["run", "lstm-lm", "--weights", "\(fixtures)/lstm_lm.pth", "--input", "input_ids=\(fixtures)/lstm_lm_input_ids.npy"]
    }

    @Test func lstmLanguageModelEqualsPyTorch() throws {
        let notes = try Self.expectPyTorchOutputs(Self.lstmArguments, ["logits": "\(Self.fixtures)/lstm_lm_logits.npy"])
        #expect(notes == """
            weights: \(Self.fixtures)/lstm_lm.pth: PyTorch checkpoint
            weights: vocabulary size 50 (was 10000), from encoder.weight [50, 16]
            weights: embedding size 16 (was 650), from encoder.weight [50, 16]
            weights: hidden size 16 (was 650), from rnn.weight_hh_l0 [64, 16]
            weights: nn.LSTM gates reordered from PyTorch's (i, f, g, o) to ONNX's (i, o, f, c): rnn.*_l0 → rnn.0.W/R/B, rnn.*_l1 → rnn.1.W/R/B

            """)
    }

    static var bertInputs: [String] {
        ["input_ids", "token_type_ids", "attention_mask"].flatMap { ["--input", "\($0)=\(fixtures)/bert_\($0).npy"] }
    }

    static var bertReferences: [String: String] {
        ["last_hidden_state": "\(fixtures)/bert_last_hidden_state.npy", "pooler_output": "\(fixtures)/bert_pooler_output.npy"]
    }

    /// A Hugging Face BertForPreTraining's pytorch_model.bin: `bert.` removed, `cls.*` set aside.
    @Test func huggingFaceBertEqualsPyTorch() throws {
        let notes = try Self.expectPyTorchOutputs(
            ["run", "bert-tiny", "--weights", "\(Self.fixtures)/bert_pytorch_model.bin", "--verbose"] + Self.bertInputs, Self.bertReferences)
        #expect(notes.contains("weights: vocabulary size 1000 (was 30522), from bert.embeddings.word_embeddings.weight [1000, 128]\n"))
        #expect(notes.contains("weights: positions 64 (was 512), from bert.embeddings.position_embeddings.weight [64, 128]\n"))
        #expect(notes.contains("weights: the prefix 'bert.' (a Hugging Face task model) is removed from 39 names\n"))
        #expect(notes.contains("weights: ignored cls.seq_relationship.weight (float32[2, 128]): BERT's pre-training heads"))
        // The masked-LM decoder is tied to the word embeddings: one storage, two names.
        #expect(notes.contains("weights: ignored cls.predictions.decoder.weight (float32[1000, 128])"))
    }

    /// Without --verbose the tensors set aside are one line: a count, and a count per reason.
    @Test func ignoredTensorsAreSummarised() throws {
        let result = try ZooTool.succeed(["count", "bert-tiny", "--weights", "\(Self.fixtures)/bert_pytorch_model.bin", "--seq-len", "16"])
        let ignored = result.errors.split(separator: "\n").filter { $0.hasPrefix("weights: ignored") }
        #expect(ignored == ["weights: ignored 9 tensors (--verbose lists them): 9 BERT's pre-training heads (masked LM, next sentence) "
            + "are not part of the encoder"], "\(result.errors)")
    }

    /// The bar: torchvision resnet18 at full size (46 MB, not committed). regenerate_checkpoint.py
    /// rebuilds torch's file from the seed; its SHA-256 must be the one torch's file had.
    /// Also resnet50 with a 10-class fc (94 MB) and googlenet with its auxiliary heads (27 MB).
    @Test(arguments: [("resnet18", [] as [String], "resnet18"), ("resnet50", ["--classes", "10"], "resnet50_10"),
                      ("googlenet", [], "googlenet")])
    func fullSizeTorchvisionEqualsPyTorch(_ model: String, _ options: [String], _ name: String) throws {
        let directory = try temporaryDirectory()
        let path = try Python.run(script: "regenerate_checkpoint.py", [name, directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        let recipe = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(name).json")))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let digest = bytes.withUnsafeBytes { SHA256.hexDigest(of: $0) }
        #expect(digest == (recipe as? [String: Any])?["sha256"] as? String)
        let notes = try Self.expectPyTorchOutputs(
            ["run", model, "--weights", path, "--input", "image=\(directory)/\(name)_image.npy"] + options,
            ["logits": "\(Self.fixtures)/\(name)_logits.npy"])
        // One line for all the tensors set aside, a count per reason (--verbose lists them).
        let ignored = notes.split(separator: "\n").filter { $0.hasPrefix("weights: ignored") }
        #expect(ignored.count == 1, "\(ignored)")
        let batchNorms = ["resnet18": 20, "resnet50": 53, "googlenet": 59][model] ?? 0
        #expect(ignored.first?.contains("\(batchNorms) BatchNorm's training-step counter; inference does not use it") == true, "\(ignored)")
        if model == "googlenet" {
            #expect(ignored.first?.contains("GoogLeNet's auxiliary classifiers are used only in training") == true, "\(ignored)")
        }
        try FileManager.default.removeItem(atPath: directory)
    }

    /// torchvision's pretrained GoogLeNet runs with transform_input=True, which googlenet's
    /// manifest sets: the seeded checkpoint converted by `zoo fetch --from` (aux heads set
    /// aside in one line) and run with --pretrained equals torchvision's
    /// googlenet(transform_input=True) (make_googlenet_transform_logits.py), which differs from
    /// the plain googlenet_logits.npy by up to 66 (max |logit| 57), so the test fails without the transform.
    @Test func pretrainedGoogLeNetTransformsItsInputAsTorchvision() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Python.run(script: "regenerate_checkpoint.py", ["googlenet", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        let cache = ["ZOO_CACHE": "\(directory)/cache"]
        let fetch = try ZooTool.succeed(["fetch", "googlenet", "--from", path], environment: cache)
        let ignored = fetch.output.split(separator: "\n").filter { $0.hasPrefix("ignored") }
        #expect(ignored.count == 1 && ignored[0].contains("GoogLeNet's auxiliary classifiers are used only in training"), "\(fetch.output)")
        let transformed = "\(Self.fixtures)/googlenet_transform_input_logits.npy"
        try Self.expectPyTorchOutputs(["run", "googlenet", "--pretrained", "--input", "image=\(directory)/googlenet_image.npy"],
                                      ["logits": transformed], environment: cache)
        let plain = try NPYFile.read(from: "\(Self.fixtures)/googlenet_logits.npy")
        let expected = try NPYFile.read(from: transformed)
        #expect(plain.mismatch(against: expected, Tolerance.wholeModel(expected, rtol: 1e-4, atol: 1e-5, fraction: 1e-4)) != nil)
    }

    /// Without --classes, the class count comes from the checkpoint's fc and is reported.
    @Test func classCountIsInferredFromTheClassifier() throws {
        let directory = try temporaryDirectory()
        let path = try Python.run(script: "regenerate_checkpoint.py", ["resnet50_10", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        let count = try ZooTool.succeed(["count", "resnet50", "--weights", path])
        #expect(count.errors.contains("weights: class count 10 (was 1000), from fc.bias [10]\n"))
        #expect(count.output.contains("trainable 23.53 M"))   // torchvision resnet50 with a 10-class fc: 23,528,522
        try FileManager.default.removeItem(atPath: directory)
    }

    /// convert writes a ModelZoo HDF5 file that runs to the same outputs, and export an ONNX
    /// file that does too.
    @Test func convertAndExportKeepTheWeights() throws {
        let directory = try temporaryDirectory()
        let converted = try ZooTool.succeed(["convert", "\(Self.fixtures)/bert_pytorch_model.bin", "--model", "bert-tiny",
                                              "-o", "\(directory)/bert.h5"])
        #expect(converted.output.hasSuffix("wrote \(directory)/bert.h5: bert-tiny, 39 parameters (549760 values)\n"))
        try Self.expectPyTorchOutputs(["run", "bert-tiny", "--weights", "\(directory)/bert.h5"] + Self.bertInputs, Self.bertReferences)
        // A zoo HDF5 file names tensors as we do: the configuration is inferred from our names too.
        _ = try ZooTool.succeed(["convert", "\(Self.fixtures)/lstm_lm.pth", "--model", "lstm-lm", "-o", "\(directory)/lm.h5"])
        try Self.expectPyTorchOutputs(["run", "lstm-lm", "--weights", "\(directory)/lm.h5", "--input", "input_ids=\(Self.fixtures)/lstm_lm_input_ids.npy"],
                                      ["logits": "\(Self.fixtures)/lstm_lm_logits.npy"])
        _ = try ZooTool.succeed(["export", "lstm-lm", "--weights", "\(Self.fixtures)/lstm_lm.pth", "-o", "\(directory)/lm.onnx"])
        try Self.expectPyTorchOutputs(["run", "\(directory)/lm.onnx", "--input", "input_ids=\(Self.fixtures)/lstm_lm_input_ids.npy"],
                                      ["logits": "\(Self.fixtures)/lstm_lm_logits.npy"])
        let bench = try ZooTool.succeed(["bench", "lstm-lm", "--weights", "\(Self.fixtures)/lstm_lm.pth", "--runs", "2", "--threads", "1",
                                         "--dim", "seq=7", "--dim", "batch=2"])
        #expect(bench.errors.contains("weights: hidden size 16 (was 650)"))
    }

    /// Weights of another configuration: every missing, unexpected and mis-shaped tensor at once.
    @Test func everyMismatchIsListed() throws {
        let run = try ZooTool.run(["run", "bert-mini", "--weights", "\(Self.fixtures)/bert_pytorch_model.bin"])
        #expect(run.status != 0)
        #expect(run.errors.contains("parameters do not match the graph:\n"))
        #expect(run.errors.contains("  'embeddings.word_embeddings.weight': shape [1000, 128], expected [1000, 256]\n"))
        #expect(run.errors.contains("  missing 'encoder.layer.3.output.dense.bias' (float32[256])\n"))
        #expect(run.errors.split(separator: "\n").count > 40)
    }

    /// Hostile checkpoints (make_hostile_checkpoints.py) through the CLI: refused, no output
    /// file, nothing executed.
    @Test(arguments: ["os_system", "builtins_eval", "storage_too_large", "deep_nesting", "zip_bomb", "truncated", "duplicate_keys"])
    func hostileCheckpointWritesNothing(_ name: String) throws {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_hostile_checkpoints.py", [directory])
        let output = "\(directory)/out.h5"
        let convert = try ZooTool.run(["convert", "\(directory)/\(name).pth", "--model", "lenet5", "-o", output])
        #expect(convert.status != 0)
        #expect(convert.errors.hasPrefix("Error: \(directory)/\(name).pth: "), "\(convert.errors)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/MARKER"))
        let run = try ZooTool.run(["run", "lenet5", "--weights", "\(directory)/\(name).pth"])
        #expect(run.status != 0)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/MARKER"))
    }

    @Test func weightsNeedAZooModel() throws {
        let run = try ZooTool.run(["run", "lenet5", "--pretrained", "--weights", "\(Self.fixtures)/lstm_lm.pth"])
        #expect(run.status != 0)
        #expect(run.errors.contains("--weights loads a file into a zoo model: drop --pretrained or the ONNX file"))
    }
}
