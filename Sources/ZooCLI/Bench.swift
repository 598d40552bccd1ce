import ArgumentParser
import Foundation
import ModelZoo

/// `zoo bench`: latency, throughput and achieved GFLOP/s of our executor, and optionally of
/// onnxruntime on the same model, input and thread count, with the ratio.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the executor on a model (p50/p90 latency, throughput, GFLOP/s), optionally against onnxruntime.",
        discussion: """
            Build with -c release for meaningful figures. --compare onnxruntime exports the \
            same graph and weights to ONNX and times onnxruntime (ORT_ENABLE_ALL, same thread \
            count, same inputs) through the Python environment scripts/setup.sh creates, \
            then compares every output (dtype, shape, values within rtol 1e-4 and atol \
            1e-5 + 1e-4·max|reference|): an output that differs, or that one runtime lacks, \
            makes the command fail with exit status 1.

            \(DimensionOptions.rules)
            """)

    enum Peer: String, ExpressibleByArgument { case onnxruntime }

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, help: "Threads for both runtimes, 1 to \(CommandLimits.threads); defaults to the core count.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var dimensions: DimensionOptions

    @Option(name: .long, help: "Timed runs after 3 warm-up runs, 1 to \(CommandLimits.runs).")
    var runs = 20

    @Option(name: .long, help: "Also time another runtime, and fail unless every output matches: onnxruntime.")
    var compare: Peer?

    func validate() throws {
        try CommandLimits.check("--threads", threads, atMost: CommandLimits.threads)
        try CommandLimits.check("--runs", runs, atMost: CommandLimits.runs)
    }

    func run() throws {
        let graph = try selection.graph(initialization: .seeded(1))
        let symbols = try selection.symbolValues(for: graph, given: try dimensions.given())
        let inputs = try SampleInputs.make(for: graph, symbolValues: symbols, seed: 1)
        let flops = try ComplexityReport(counting: graph, options: CountOptions(symbolValues: symbols)).total.flops.constantValue
        // Samples per run: the batch size, or for a file without a `batch` symbol the first
        // input's leading dimension.
        let samples = symbols[CountOptions.batchSymbol] ?? graph.inputs.first.flatMap { inputs[$0.name]?.shape.first } ?? 1

        let session = try Session(graph: graph, options: SessionOptions(threads: threads))
        let measured = try LatencyMeasurement(session: session, inputs: inputs, runs: runs)
        let ours = Quantiles(measured.samples)
        let shapes = inputs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.shape)" }.joined(separator: ", ")
        print("\(selection.model): \(shapes), \(threads) thread\(threads == 1 ? "" : "s"), \(runs) runs")
        print(row("ModelZoo", ours.median, ours.p90, flops, samples: samples))
        guard compare == .onnxruntime else { return }

        let directory = NSTemporaryDirectory() + "zoo-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A file's ops may exist only from its own opset on (GroupNormalization: 18), so
        // onnxruntime gets the graph written at that opset, or at ours if the file's is older.
        let opset = selection.isFile ? max(try ONNXModel.read(from: selection.model).opsetVersion, ONNXModel.defaultOpset)
                                     : ONNXModel.defaultOpset
        try ONNXModel(graph: graph, opsetVersion: opset).write(to: "\(directory)/model.onnx")
        let worker = try OnnxRuntimeWorker(model: "\(directory)/model.onnx", inputs: inputs, threads: threads, directory: directory)
        let reference = Quantiles(try worker.time(runs: runs).wall)
        print(row("onnxruntime", reference.median, reference.p90, flops, samples: samples))
        print(String(format: "ratio (ModelZoo / onnxruntime, p50): %.2fx", ours.median / reference.median))
        let agreement = OutputAgreement(ours: try session.run(inputs), reference: worker.outputs, peer: "onnxruntime")
        agreement.lines.forEach { print($0) }
        try agreement.check()
    }

    private func row(_ runtime: String, _ p50: Double, _ p90: Double, _ flops: Int?, samples: Int) -> String {
        let throughput = Double(samples) / (p50 / 1000)
        let rate = flops.map { String(format: ", %.1f GFLOP/s", Double($0) / (p50 / 1000) / 1e9) } ?? ""
        return String(format: "  %@: p50 %.3f ms, p90 %.3f ms, %.1f samples/s", runtime, p50, p90, throughput) + rate
    }
}
