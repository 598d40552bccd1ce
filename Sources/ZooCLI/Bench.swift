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
            then checks both give the same outputs.
            """)

    enum Peer: String, ExpressibleByArgument { case onnxruntime }

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, help: "Threads for both runtimes (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Batch size.")
    var batch = 1

    @Option(name: .long, help: "Sequence length for sequence models (default: the model's).")
    var seqLen: Int?

    @Option(name: .long, help: "Timed runs after 3 warm-up runs.")
    var runs = 20

    @Option(name: .long, help: "Also time another runtime: onnxruntime.")
    var compare: Peer?

    func validate() throws {
        guard threads >= 1, batch >= 1, runs >= 1, (seqLen ?? 1) >= 1 else {
            throw ValidationError("--threads, --batch, --runs and --seq-len must be at least 1")
        }
    }

    func run() throws {
        let graph = try selection.graph(initialization: .seeded(1))
        let symbols = try selection.symbolValues(for: graph, batch: batch, sequenceLength: seqLen)
        let inputs = try SampleInputs.make(for: graph, symbolValues: symbols, seed: 1)
        let flops = try ComplexityReport(counting: graph, options: CountOptions(symbolValues: symbols)).total.flops.constantValue

        let session = try Session(graph: graph, options: SessionOptions(threads: threads))
        let measured = try LatencyMeasurement(session: session, inputs: inputs, runs: runs)
        let ours = Quantiles(measured.samples)
        let shapes = inputs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.shape)" }.joined(separator: ", ")
        print("\(selection.model): \(shapes), \(threads) thread\(threads == 1 ? "" : "s"), \(runs) runs")
        print(row("ModelZoo", ours.median, ours.p90, flops))
        guard compare == .onnxruntime else { return }

        let directory = NSTemporaryDirectory() + "zoo-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ONNXModel(graph: graph).write(to: "\(directory)/model.onnx")
        let worker = try OnnxRuntimeWorker(model: "\(directory)/model.onnx", inputs: inputs, threads: threads, directory: directory)
        let reference = Quantiles(try worker.time(runs: runs).wall)
        print(row("onnxruntime", reference.median, reference.p90, flops))
        print(String(format: "ratio (ModelZoo / onnxruntime, p50): %.2fx", ours.median / reference.median))
        let outputs = try session.run(inputs)
        for (name, expected) in worker.outputs.sorted(by: { $0.key < $1.key }) {
            guard let actual = outputs[name] else { continue }
            let scale = expected.doubleValues.map(abs).max() ?? 0
            let agrees = actual.isClose(to: expected, rtol: 1e-4, atol: 1e-5 + 1e-4 * scale)
            print("output \(name): \(agrees ? "matches" : "DIFFERS FROM") onnxruntime (rtol 1e-4, atol 1e-5 + 1e-4·max|ref|)")
        }
    }

    private func row(_ runtime: String, _ p50: Double, _ p90: Double, _ flops: Int?) -> String {
        let throughput = Double(batch) / (p50 / 1000)
        let rate = flops.map { String(format: ", %.1f GFLOP/s", Double($0) / (p50 / 1000) / 1e9) } ?? ""
        return String(format: "  %@: p50 %.3f ms, p90 %.3f ms, %.1f samples/s", runtime, p50, p90, throughput) + rate
    }
}
