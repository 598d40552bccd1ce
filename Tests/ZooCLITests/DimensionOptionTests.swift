import Foundation
import Testing
import ZooTestSupport

/// `--dim`, `--batch`, `--seq-len` and inputs given as files sizing a model's symbolic
/// dimensions, and `--top` on an ONNX file, on a model written by the onnx package whose
/// symbols are `N` and `sequence` (Tests/interop/make_symbolic_dims_onnx.py).
@Suite struct DimensionOptionTests {
    struct Fixture: Decodable {
        /// Each row's classes, best first, by numpy in float64.
        let ranking: [[Int]]
    }

    let directory: String
    let fixture: Fixture
    var model: String { directory + "/model.onnx" }

    init() throws {
        directory = try temporaryDirectory()
        fixture = try Python.json(Fixture.self, script: "make_symbolic_dims_onnx.py", [directory])
    }

    /// "  batch 1 top 2: 0 (2.747), 1 (-0.5757)" → [0, 1]
    func topClasses(_ output: String) -> [[Int]] {
        output.split(separator: "\n").filter { $0.hasPrefix("  batch ") }.map { line in
            line.split(separator: ":")[1].split(separator: ",").map { Int($0.split(separator: " ")[0])! }
        }
    }

    @Test func inputFilesSizeTheOtherInputsAndTopListsTheFilesClasses() throws {
        let both = try ZooTool.run(["run", model, "--input", "tokens=\(directory)/tokens.npy",
                                    "--input", "mask=\(directory)/mask.npy", "--top", "2"])
        #expect(both.status == 0, "\(both.errors)")
        #expect(topClasses(both.output) == fixture.ranking.map { Array($0.prefix(2)) })

        // mask is random, sized N=2, sequence=3 by tokens.npy.
        let one = try ZooTool.run(["run", model, "--input", "tokens=\(directory)/tokens.npy", "--top", "3"])
        #expect(one.status == 0, "\(one.errors)")
        #expect(one.output.contains("input  mask: float32[2, 3]\n"))
        #expect(topClasses(one.output).map(\.count) == [3, 3])
        #expect(one.output.contains("compiled for these shapes in "))

        let none = try ZooTool.run(["run", model, "--input", "tokens=\(directory)/tokens.npy", "--top", "0"])
        #expect(none.status == 0, "\(none.errors)")
        #expect(topClasses(none.output).isEmpty)
    }

    @Test func dimSizesAnySymbol() throws {
        let run = try ZooTool.run(["run", model, "--dim", "N=4", "--dim", "sequence=5"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("input  tokens: float32[4, 5, 4]\n"))
        #expect(run.output.contains("output scores: float32[4, 3]"))

        // MACs: the MatMul's N·sequence·4 and the Gemm's N·4·3; with --symbolic only the
        // unsized symbol stays open.
        let count = try ZooTool.run(["count", model, "--dim", "N=4", "--dim", "sequence=5", "--format", "csv"])
        #expect(count.status == 0, "\(count.errors)")
        #expect(count.output.contains("\ntotal,,,15,15,128,"))
        let symbolic = try ZooTool.run(["count", model, "--symbolic", "--dim", "N=4", "--format", "csv"])
        #expect(symbolic.status == 0, "\(symbolic.errors)")
        #expect(symbolic.output.contains("\ntotal,,,15,15,16·sequence + 48,"))

        let bench = try ZooTool.run(["bench", model, "--dim", "N=2", "--dim", "sequence=3", "--runs", "1", "--threads", "1"])
        #expect(bench.status == 0, "\(bench.errors)")
        #expect(bench.output.hasPrefix("\(model): mask [2, 3], tokens [2, 3, 4], 1 thread, 1 runs\n"))
    }

    @Test func unsizedUnknownAndConflictingSymbolsAreErrors() throws {
        let unsized = try ZooTool.run(["run", model])
        #expect(unsized.status == 1)
        #expect(unsized.errors == """
            Error: no size for the symbolic dimensions 'N' (in 'tokens', 'mask'), 'sequence' (in 'tokens', 'mask'): \
            give --dim N=SIZE --dim sequence=SIZE

            """)
        let count = try ZooTool.run(["count", model, "--dim", "N=1"])
        #expect(count.status == 1)
        #expect(count.errors.hasPrefix("Error: no size for the symbolic dimension 'sequence' (in 'tokens', 'mask')"))

        let batch = try ZooTool.run(["run", model, "--batch", "2", "--dim", "sequence=3"])
        #expect(batch.status == 1)
        #expect(batch.errors == "Error: --batch 2: the inputs have no symbolic dimension 'batch'; their symbols are N, sequence\n")

        let conflict = try ZooTool.run(["run", model, "--input", "tokens=\(directory)/tokens.npy", "--dim", "N=3"])
        #expect(conflict.status == 1)
        #expect(conflict.errors == "Error: --dim N=3 makes 'N' 3, but tokens=\(directory)/tokens.npy (dimension 0 of shape [2, 3, 4]) makes it 2\n")

        let twice = try ZooTool.run(["run", "bert-tiny", "--seq-len", "8", "--dim", "seq=9"])
        #expect(twice.status == 64)
        #expect(twice.errors.hasPrefix("Error: --dim seq=9 and --seq-len 8 give 'seq' different sizes\n"))

        let wrongRank = try ZooTool.run(["run", model, "--input", "mask=\(directory)/tokens.npy"])
        #expect(wrongRank.status == 1)
        #expect(wrongRank.errors == "Error: mask=\(directory)/tokens.npy has shape [2, 3, 4], but input 'mask' is float32[N,sequence]: rank 2, not 3\n")

        let badDim = try ZooTool.run(["run", model, "--dim", "N=0"])
        #expect(badDim.status == 64)
        #expect(badDim.errors.hasPrefix("Error: The value 'N=0' is invalid for '--dim <name=value>'"))
    }

    /// `count --symbolic` keeps open only the symbols without a size: with --batch 1, BERT's
    /// counts are polynomials in seq alone.
    @Test func symbolicCountTakesGivenSizes() throws {
        let both = try ZooTool.run(["count", "bert-tiny", "--symbolic", "--format", "csv"])
        #expect(both.status == 0, "\(both.errors)")
        #expect(both.output.contains("batch"))
        let seqOnly = try ZooTool.run(["count", "bert-tiny", "--symbolic", "--batch", "1", "--format", "csv"])
        #expect(seqOnly.status == 0, "\(seqOnly.errors)")
        #expect(seqOnly.output.contains("seq"))
        #expect(!seqOnly.output.contains("batch"))
    }
}
