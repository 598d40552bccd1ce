import ArgumentParser
import Foundation
import ModelZoo

/// `zoo run`: runs a model once on given or seeded inputs and summarises the outputs.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a zoo model or an ONNX file on the CPU and summarise its outputs.",
        discussion: """
            Inputs come from .npy files (--input NAME=FILE.npy) or are seeded random values \
            (ids valid for the model's embedding tables, masks of ones). Zoo models run with \
            seeded random weights (--seed), or with --pretrained with their pretrained weights.
            """)

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, parsing: .singleValue, help: "NAME=FILE.npy for an input (repeatable); others are random.")
    var input: [String] = []

    @Option(name: .long, help: "Batch size for random inputs.")
    var batch = 1

    @Option(name: .long, help: "Sequence length for random inputs of sequence models (default: the model's).")
    var seqLen: Int?

    @Option(name: .long, help: "Threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Seed of random weights and inputs.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "A directory to write every output to, as NAME.npy.")
    var output: String?

    @Option(name: .long, help: "How many classes to list for classifier outputs.")
    var top = 5

    func validate() throws {
        guard batch >= 1, threads >= 1, top >= 0, (seqLen ?? 1) >= 1 else {
            throw ValidationError("--batch, --threads and --seq-len must be at least 1, --top at least 0")
        }
    }

    func run() throws {
        let graph = try selection.graph(initialization: .seeded(seed))
        var inputs = try SampleInputs.make(
            for: graph, symbolValues: try selection.symbolValues(for: graph, batch: batch, sequenceLength: seqLen), seed: seed)
        for argument in input {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CommandError("--input takes NAME=FILE.npy, got '\(argument)'") }
            guard inputs[parts[0]] != nil else {
                throw CommandError("--input names '\(parts[0])', but the inputs are \(graph.inputs.map(\.name).joined(separator: ", "))")
            }
            inputs[parts[0]] = try NPYFile.read(from: parts[1])
        }
        let session = try Session(graph: graph, options: SessionOptions(threads: threads))
        let start = DispatchTime.now()
        let outputs = try session.run(inputs)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        for value in graph.inputs { print("input  \(value.name): \(inputs[value.name]!.dtype)\(inputs[value.name]!.shape)") }
        for value in graph.outputs {
            guard let tensor = outputs[value.name] else { continue }
            print("output \(value.name): \(OutputSummary(tensor))")
            if case .classifier? = (selection.isFile ? nil : try selection.entry().task), top > 0 {
                print(OutputSummary.topClasses(tensor, count: top))
            }
            if let output {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                try NPYFile.write(tensor, to: "\(output)/\(value.name).npy")
            }
        }
        print(String(format: "ran in %.2f ms (first run: includes compiling for these shapes)", milliseconds))
    }
}

/// Shape, statistics and a digest of an output, so runs can be compared at a glance.
struct OutputSummary: CustomStringConvertible {
    let tensor: Tensor

    init(_ tensor: Tensor) { self.tensor = tensor }

    var description: String {
        let values = tensor.doubleValues
        let finite = values.filter(\.isFinite)
        let mean = finite.reduce(0, +) / Double(max(finite.count, 1))
        let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(finite.count, 1))
        let nonFinite = values.count - finite.count
        return "\(tensor.dtype)\(tensor.shape)"
            + String(format: " mean %.6g std %.6g min %.6g max %.6g", mean, variance.squareRoot(),
                     finite.min() ?? .nan, finite.max() ?? .nan)
            + (nonFinite > 0 ? " (\(nonFinite) NaN/Inf)" : "")
    }

    /// The `count` highest scores of each row of a [batch, classes] output.
    static func topClasses(_ tensor: Tensor, count: Int) -> String {
        guard tensor.rank == 2 else { return "" }
        let classes = tensor.shape[1]
        let values = tensor.doubleValues
        return (0..<tensor.shape[0]).map { row in
            let scores = values[(row * classes)..<((row + 1) * classes)].enumerated().sorted { $0.element > $1.element }
            return "  batch \(row) top \(min(count, classes)): "
                + scores.prefix(count).map { String(format: "%d (%.4g)", $0.offset, $0.element) }.joined(separator: ", ")
        }.joined(separator: "\n")
    }
}
