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
            seeded random weights (--seed), or with --pretrained with their pretrained \
            weights. The compile time (graph passes, memory plan, kernels for these shapes) \
            and the run time are reported separately.

            \(DimensionOptions.rules)
            """)

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, parsing: .singleValue,
            help: "NAME=FILE.npy for an input (repeatable); its shape sizes its dimensions' symbols. Other inputs are random.")
    var input: [String] = []

    @OptionGroup var dimensions: DimensionOptions

    @Option(name: .long, help: "Threads, 1 to \(CommandLimits.threads); defaults to the core count.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Seed of random weights and inputs.")
    var seed: UInt64 = 0

    @Option(name: .long, help: """
        A directory to write every output to, as NAME.npy; in NAME every byte outside \
        A-Z a-z 0-9 . _ - and a leading '.' become %XX (gpu_0/softmax_1 → gpu_0%2Fsoftmax_1.npy), \
        an empty name '%'. Each file is listed.
        """)
    var output: String?

    @Option(name: .long, help: """
        How many classes to list for each row of a class-score output (0: none): the outputs \
        of zoo classifiers, and every floating-point [batch, classes] output (classes > 1) \
        of an ONNX file.
        """)
    var top = 5

    func validate() throws {
        try CommandLimits.check("--threads", threads, atMost: CommandLimits.threads)
        if top < 0 { throw ValidationError("--top must be at least 0, got \(top)") }
    }

    func run() throws {
        let graph = try selection.graph(initialization: .seeded(seed))
        let files = try input.map(InputFile.init(argument:))
        let symbols = try selection.symbolValues(for: graph, given: try dimensions.given(), files: files)
        let given = Dictionary(files.map { ($0.name, $0.tensor) }, uniquingKeysWith: { $1 })
        let inputs = try SampleInputs.make(for: graph, symbolValues: symbols, seed: seed, given: given)

        // A session compiles when created if every input size is fixed, else on its first
        // run with given shapes; `summary` compiles for these shapes, so the run is timed alone.
        let compileStart = DispatchTime.now()
        let session = try Session(graph: graph, options: SessionOptions(threads: threads))
        _ = try session.summary(inputs: inputs)
        let compiled = DispatchTime.now()
        let outputs = try session.run(inputs)
        let ran = DispatchTime.now()

        for value in graph.inputs { print("input  \(value.name): \(inputs[value.name]!.dtype)\(inputs[value.name]!.shape)") }
        let listsClasses = try mayListClasses()
        for value in graph.outputs {
            guard let tensor = outputs[value.name] else { continue }
            print("output \(value.name): \(OutputSummary(tensor))")
            if listsClasses, let ranking = ClassScores.top(tensor, count: top) { print(ranking) }
            if let output {
                let path = "\(output)/\(OutputFileName.escaped(value.name)).npy"
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                try NPYFile.write(tensor, to: path)
                print("output '\(value.name)' → \(path)")
            }
        }
        print(String(format: "compiled for these shapes in %.2f ms, then ran in %.2f ms",
                     milliseconds(compileStart, compiled), milliseconds(compiled, ran)))
    }

    /// Zoo classifiers' outputs are class scores; an ONNX file's may be, judged by shape.
    private func mayListClasses() throws -> Bool {
        guard top > 0 else { return false }
        if selection.isFile { return true }
        if case .classifier = try selection.entry().task { return true }
        return false
    }

    private func milliseconds(_ start: DispatchTime, _ end: DispatchTime) -> Double {
        Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
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
}
