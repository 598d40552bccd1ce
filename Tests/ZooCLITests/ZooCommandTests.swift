import Foundation
import Testing
import ZooTestSupport

/// The `zoo` tool end to end, as a user runs it.
@Suite struct ZooCommandTests {
    @Test func helpListsTheCommands() throws {
        let result = try ZooTool.run(["--help"])
        #expect(result.status == 0)
        #expect(result.output == """
            OVERVIEW: Reference neural-network architectures, ONNX interchange and model
            analysis.

            USAGE: zoo <subcommand>

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            SUBCOMMANDS:
              list                    List the zoo's models with parameters and MACs at
                                      their default input, and pretrained weights.
              info                    Show a model's configuration, input/output spec and a
                                      per-block summary.
              count                   Count parameters, MACs, FLOPs and activation memory,
                                      per layer or per block.
              export                  Export a zoo model to ONNX (opset 17, batch and
                                      sequence length symbolic).
              inspect                 Read an ONNX file, validate it, infer every shape and
                                      list the graph.
              import                  Import an ONNX file: check every node, summarise it,
                                      optionally save its weights as HDF5.
              run                     Run a zoo model or an ONNX file on the CPU and
                                      summarise its outputs.
              bench                   Time the executor on a model (p50/p90 latency,
                                      throughput, GFLOP/s), optionally against onnxruntime.
              fetch                   Fetch a zoo model's pretrained weights into the
                                      cache, checked against the hash its manifest pins.
              verify                  Verify pretrained weights: checksums, layout, and the
                                      golden input → output pair on our executor.
              embed                   Embed texts with a pretrained sentence encoder and
                                      compare them by cosine similarity.
              convert                 Convert a weights file you hold (PyTorch, Keras,
                                      ELMo, safetensors, ONNX) for a zoo model to ModelZoo
                                      HDF5.
              classify                Classify JPEG and PNG images with a pretrained zoo
                                      image classifier.

              See 'zoo help <subcommand>' for detailed help.

            """)
    }

    @Test func versionIsPrinted() throws {
        #expect(try ZooTool.succeed(["--version"]).output == "0.1.0\n")
    }

    @Test func listShowsEveryModelWithPublishedFigures() throws {
        let result = try ZooTool.run(["list"])
        #expect(result.status == 0)
        let resnet50 = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("resnet50 ") })
        #expect(resnet50.contains("25.56 M"))
        #expect(resnet50.contains("4.09 G"))
        #expect(result.output.split(separator: "\n").count == 2 + 35)
    }

    /// The weights column: shipped with the zoo, cached, to fetch, or none ("-").
    @Test func listSaysWhichModelsHaveWeightsAndWhere() throws {
        let cache = try temporaryDirectory()
        func row(_ id: String) throws -> String {
            let output = try ZooTool.succeed(["list"], environment: ["ZOO_CACHE": cache]).output
            return String(try #require(output.split(separator: "\n").first { $0.hasPrefix("\(id) ") }))
        }
        let header = try ZooTool.succeed(["list"], environment: ["ZOO_CACHE": cache]).output.split(separator: "\n")[0]
        #expect(header.split(separator: " ", omittingEmptySubsequences: true) == ["id", "params", "MACs", "input", "weights", "description"])
        #expect(try row("lenet5").contains(" shipped "))
        #expect(try row("resnet50").contains(" to fetch (2 variants) "))
        #expect(try row("resnet18").contains(" to fetch "))
        #expect(try row("vgg16").contains(" to fetch (2 variants) "))
        #expect(try row("resnet50-keras").contains(" to fetch "))
        #expect(try row("googlenet").contains(" to fetch "))
        #expect(try row("nin").contains(" - "))
        try FileManager.default.createDirectory(atPath: cache + "/resnet18", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: cache + "/resnet18/imagenet1k_v1.h5"))
        #expect(try row("resnet18").contains(" cached "))
    }

    @Test func countAsCSVHasExactIntegers() throws {
        let result = try ZooTool.run(["count", "lenet5", "--format", "csv"])
        #expect(result.status == 0)
        let total = try #require(result.output.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total,") })
        #expect(total.contains(",61706,"))
        #expect(total.contains(",416520,"))
    }

    @Test func countWithAnotherInputShape() throws {
        func totalMACs(_ arguments: [String]) throws -> Int {
            let result = try ZooTool.succeed(["count", "resnet18", "--format", "csv"] + arguments)
            let total = try #require(result.output.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total,") })
            return try #require(Int(total.split(separator: ",", omittingEmptySubsequences: false)[5]))
        }
        // At 64x64 every feature map is (32/112)² = 4/49 of its 224x224 size; the fc layer
        // (512·1000 MACs) does not change.
        let full = try totalMACs([])
        let small = try totalMACs(["--input-shape", "image=1x3x64x64"])
        #expect(full == 1_814_073_344)
        #expect(small == (full - 512_000) * 4 / 49 + 512_000)
    }

    @Test func exportThenInspectRoundTrips() throws {
        let path = try temporaryDirectory() + "/lenet5.onnx"
        let export = try ZooTool.run(["export", "lenet5", "-o", path, "--seed", "3"])
        #expect(export.status == 0)
        #expect(export.output == "wrote \(path): lenet5, 13 nodes, 61706 parameter values, opset 17\n")
        let inspect = try ZooTool.run(["inspect", path, "--summary"])
        #expect(inspect.status == 0)
        #expect(inspect.output.contains("inputs:  image: float32[batch,1,32,32]"))
        #expect(inspect.output.contains("metadata zoo.weights: seeded-random:3"))
        let digest = try #require(inspect.output.split(separator: "\n").first { $0.hasPrefix("metadata zoo.weights_sha256: ") })
        #expect(digest.count == "metadata zoo.weights_sha256: ".count + 64)
        let pretrained = try ZooTool.run(["export", "lenet5", "--pretrained", "-o", path])
        #expect(pretrained.status == 0, "\(pretrained.errors)")
        #expect(try ZooTool.succeed(["inspect", path, "--summary"]).output.contains("metadata zoo.weights: pretrained"))
    }

    /// `zoo run` on an exported file gives the same numbers as on the zoo model, and as
    /// onnxruntime (through `zoo bench --compare`).
    @Test func runAndBenchAgreeWithOnnxRuntime() throws {
        let directory = try temporaryDirectory()
        let run = try ZooTool.run(["run", "lenet5", "--batch", "3", "--seed", "4", "--output", directory + "/zoo"])
        #expect(run.status == 0)
        #expect(run.output.contains("output logits: float32[3, 10]"))
        #expect(run.output.contains("batch 2 top 5:"))
        _ = try ZooTool.succeed(["export", "lenet5", "--seed", "4", "-o", directory + "/lenet5.onnx"])
        let file = try ZooTool.run(["run", directory + "/lenet5.onnx", "--batch", "3", "--seed", "4", "--output", directory + "/file"])
        #expect(file.status == 0)
        let fromZoo = FileManager.default.contents(atPath: directory + "/zoo/logits.npy")
        let fromFile = FileManager.default.contents(atPath: directory + "/file/logits.npy")
        #expect(fromZoo != nil && fromZoo == fromFile)

        let bench = try ZooTool.run(["bench", "bert-tiny", "--seq-len", "8", "--runs", "2", "--compare", "onnxruntime"])
        #expect(bench.status == 0, "\(bench.errors)")
        #expect(bench.output.contains("output last_hidden_state: matches onnxruntime"))
        #expect(bench.output.contains("output pooler_output: matches onnxruntime"))
    }

    @Test func importSummarisesAndSavesWeights() throws {
        let directory = try temporaryDirectory()
        _ = try ZooTool.succeed(["export", "resnet18", "--image-size", "32", "-o", directory + "/resnet18.onnx"])
        let result = try ZooTool.run(["import", directory + "/resnet18.onnx", "-o", directory + "/resnet18.h5"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("nodes:      70 (Add ×8, BatchNormalization ×20, Conv ×20,"))
        #expect(result.output.contains("parameters: 11.70 M in 102 tensors (44.63 MiB)"))
        #expect(result.output.contains("inputs:     image: float32[batch,3,32,32]"))
        #expect(result.output.contains("wrote \(directory)/resnet18.h5: 102 parameter tensors"))
        let again = try ZooTool.run(["import", directory + "/resnet18.onnx", "-o", directory + "/resnet18.h5"])
        #expect(again.status == 0)
    }

    /// Mistakes found by argument validation exit with 64 (EX_USAGE) and the usage; those
    /// found while running exit with 1.
    @Test func userMistakesAreClearErrorsWithExitStatus() throws {
        let unknown = try ZooTool.run(["count", "resnet5"])
        #expect(unknown.status == 1)
        #expect(unknown.errors.hasPrefix("Error: no model 'resnet5' in the zoo; known models: lenet5,"))
        let badShape = try ZooTool.run(["count", "resnet18", "--input-shape", "pixels=1x3x8x8"])
        #expect(badShape.status == 1)
        #expect(badShape.errors == "Error: --input-shape names 'pixels', but the inputs are image\n")
        let tooSmall = try ZooTool.run(["count", "vgg16", "--image-size", "16"])
        #expect(tooSmall.status == 1)
        #expect(tooSmall.errors.contains("features"))
        let missing = try ZooTool.run(["inspect", "/nonexistent/model.onnx"])
        #expect(missing.status == 1)
        #expect(missing.errors == "Error: /nonexistent/model.onnx: No such file or directory\n")
        let removed = try ZooTool.run(["count", "lenet5", "--allow-uncounted"])
        #expect(removed.status == 64)
        #expect(removed.errors.hasPrefix("Error: Unknown option '--allow-uncounted'"))
        let seqOnImage = try ZooTool.run(["count", "lenet5", "--seq-len", "8"])
        #expect(seqOnImage.status == 1)
        #expect(seqOnImage.errors == "Error: --seq-len 8: the inputs have no symbolic dimension 'seq'; their symbols are batch\n")
    }

    /// Counts that once trapped (a 32-bit thread count, an array reserved for the runs) are
    /// refused before anything runs.
    @Test func hugeThreadAndRunCountsAreRefused() throws {
        let threads = try ZooTool.run(["run", "lenet5", "--threads", "3000000000"])
        #expect(threads.status == 64)
        #expect(threads.errors.hasPrefix("Error: --threads must be between 1 and 4096, got 3000000000\n"))
        let runs = try ZooTool.run(["bench", "lenet5", "--runs", "9000000000000000000"])
        #expect(runs.status == 64)
        #expect(runs.errors.hasPrefix("Error: --runs must be between 1 and 1000000, got 9000000000000000000\n"))
        for command in [["verify", "lenet5"], ["embed", "text"], ["bench", "lenet5"]] {
            let zero = try ZooTool.run(command + ["--threads", "0"])
            #expect(zero.status == 64, "\(command)")
            #expect(zero.errors.hasPrefix("Error: --threads must be between 1 and 4096, got 0\n"), "\(command)")
        }
    }
}
