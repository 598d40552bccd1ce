import Foundation
import Testing
import ZooTestSupport

/// `zoo fetch`, `zoo verify`, `zoo embed` and `--pretrained`, as a user runs them, with a
/// cache of the test's own.
@Suite struct PretrainedCommandTests {
    @Test func leNetShipsWithTheZooAndVerifies() throws {
        let fetch = try ZooTool.run(["fetch", "lenet5"])
        #expect(fetch.status == 0, "\(fetch.errors)")
        #expect(fetch.output.hasSuffix("Zoo/lenet5/weights.h5 ships with the zoo; its size and SHA-256 are the manifest's\n"))
        let verify = try ZooTool.run(["verify", "lenet5", "--threads", "2"])
        #expect(verify.status == 0, "\(verify.errors)")
        #expect(verify.output.contains("  ok  layout: 10 parameters (61706 values) with the architecture's names, shapes and dtypes\n"))
        #expect(verify.output.contains("  ok  golden test_data_set_0: logits float32[8, 10]: max |difference| "))
        #expect(verify.output.hasSuffix("verified\n"))
    }

    /// The digits test split through `zoo run --pretrained`: 436 of 450 right, as the manifest says.
    @Test func runPretrainedLeNetOnTheTestSplit() throws {
        let directory = try temporaryDirectory()
        let labels = try Python.run(script: "digits_test_split.py", [directory, "--print-labels"])
            .split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        let run = try ZooTool.run(["run", "lenet5", "--pretrained", "--input", "image=\(directory)/images.npy", "--top", "1", "--threads", "2"])
        #expect(run.status == 0, "\(run.errors)")
        // "  batch 17 top 1: 3 (9.41)" for each image
        let predictions = run.output.split(separator: "\n").filter { $0.contains(" top 1: ") }.map { line in
            Int(line.split(separator: ":")[1].split(separator: " ")[0])!
        }
        #expect(predictions.count == 450)
        #expect(zip(predictions, labels).filter { $0 == $1 }.count == 436)
    }

    /// The README's command, on the committed sample: make_digits.py rebuilds the same file
    /// and prints the true labels, which the pretrained model gets right.
    @Test func readmeDigitsRunAsDocumented() throws {
        let directory = try temporaryDirectory()
        let root = Python.repositoryRoot.path
        let labels = try Python.run(path: "\(root)/Zoo/lenet5/make_digits.py", [directory])
        #expect(labels == "2 0 4 9 4 1 2 4\n")
        #expect(FileManager.default.contents(atPath: "\(directory)/digits.npy") == FileManager.default.contents(atPath: "\(root)/Zoo/lenet5/digits.npy"))
        let run = try ZooTool.run(["run", "lenet5", "--pretrained", "--input", "image=\(root)/Zoo/lenet5/digits.npy", "--top", "1"])
        #expect(run.status == 0, "\(run.errors)")
        let predictions = run.output.split(separator: "\n").filter { $0.contains(" top 1: ") }.map { line in
            line.split(separator: ":")[1].split(separator: " ")[0]
        }
        #expect(predictions.joined(separator: " ") + "\n" == labels)
    }

    @Test func embedAfterConvertingTheSafeTensors() throws {
        let cache = ["ZOO_CACHE": try temporaryDirectory()]
        let texts = ["A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome."]
        let missing = try ZooTool.run(["embed"] + texts, environment: cache)
        #expect(missing.status == 1)
        #expect(missing.errors.hasPrefix("Error: the weights of 'bert-minilm-l6' are not in the cache (\(cache["ZOO_CACHE"]!)/bert-minilm-l6/weights.h5): convert them from the original with 'zoo fetch bert-minilm-l6 --from FILE'"))

        let safetensors = try Python.run(script: "minilm_model_path.py", []).trimmingCharacters(in: .whitespacesAndNewlines) + "/model.safetensors"
        let fetch = try ZooTool.run(["fetch", "bert-minilm-l6", "--from", safetensors], environment: cache)
        #expect(fetch.status == 0, "\(fetch.errors)")
        #expect(fetch.output.hasPrefix("ignored embeddings.position_ids (int64[1, 512]): int64 [1, 512] buffer of the positions 0..511"))
        #expect(try ZooTool.succeed(["verify", "bert-minilm-l6"], environment: cache).output.hasSuffix("verified\n"))

        let embed = try ZooTool.run(["embed"] + texts + ["--threads", "2"], environment: cache)
        #expect(embed.status == 0, "\(embed.errors)")
        #expect(embed.output.contains("[1] A man is eating food.\n    384-d: "))
        #expect(embed.output.contains("[1]  1.0000   0.7553   -0.0461"))

        struct Report: Decodable { let embeddings: [[Float]], similarities: [[Double]] }
        let json = try ZooTool.succeed(["embed", "--json"] + texts, environment: cache)
        let report = try JSONDecoder().decode(Report.self, from: Data(json.output.utf8))
        #expect(report.embeddings.map(\.count) == [384, 384, 384])
        #expect(report.embeddings.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5 })
        #expect(abs(report.similarities[0][1] - 0.7553) < 5e-4)
    }

    @Test func pretrainedMistakesAreClearErrors() throws {
        let resized = try ZooTool.run(["run", "lenet5", "--pretrained", "--image-size", "64"])
        #expect(resized.status == 64)
        #expect(resized.errors.hasPrefix("Error: --pretrained loads a zoo model as its manifest configures it"))
        let noWeights = try ZooTool.run(["count", "nin", "--pretrained"])
        #expect(noWeights.status == 1)
        #expect(noWeights.errors.hasPrefix("Error: no pretrained weights for 'nin': there is no "))
        #expect(noWeights.errors.hasSuffix("/nin/manifest.json; models with pretrained weights: alexnet, bert-base, bert-large, bert-minilm-l6, googlenet, lenet5, "
            + "resnet101, resnet101-keras, resnet152, resnet152-keras, resnet18, resnet34, resnet50, resnet50-keras, "
            + "vgg11, vgg11-bn, vgg13, vgg13-bn, vgg16, vgg16-bn, vgg19, vgg19-bn\n"))
        let missingFile = try ZooTool.run(["verify", "/nonexistent/weights.h5"])
        #expect(missingFile.status == 1)
        #expect(missingFile.errors == "Error: /nonexistent/weights.h5: No such file or directory\n")
        let badSource = try ZooTool.run(["fetch", "lenet5", "--from", "weights.npz"], environment: ["ZOO_CACHE": try temporaryDirectory()])
        #expect(badSource.status == 1)
        #expect(badSource.errors == "Error: weights.npz: cannot tell the weights format; convert from PyTorch (.pth/.pt/.bin), Keras (.h5, .weights.h5), ELMo bilm-tf (.hdf5), .onnx, .safetensors, or ModelZoo .h5/.hdf5 files\n")
        let notText = try ZooTool.run(["embed", "hello", "--model", "lenet5"])
        #expect(notText.status == 1)
        #expect(notText.errors == "Error: 'lenet5' is not a text model: its manifest has no tokenizer and sentence embedding\n")
    }

    @Test func countWithPretrainedWeights() throws {
        let count = try ZooTool.run(["count", "lenet5", "--pretrained", "--format", "csv"])
        #expect(count.status == 0, "\(count.errors)")
        #expect(count.output.contains("total,,,61706,61706,416520,"))
    }
}
