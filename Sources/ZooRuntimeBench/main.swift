// Times a Session against onnxruntime on the same zoo model, exported by ZooONNX, with the
// same input, batch size and thread count, in one process run; prints one Markdown table
// row per model. Run through Benchmarks/executor.sh (release build).
//
// usage: ZooRuntimeBench [--threads N] [--batch N] [--runs N] [--rounds N] [--seq N] MODEL_ID ...
//
// Our runs and onnxruntime's alternate in `rounds` blocks, so a change in machine load hits
// both sides alike; the p50s are over all samples of each side. GFLOP/s divide ZooAnalysis'
// FLOP count (2 per MAC, padding taps included) by the p50. CPU ms: process CPU time per
// run (all threads), the fairer measure while other work competes for the two cores. Memory: the peak resident size
// while the session compiles and runs, less the resident size just before (which holds the
// graph and its weights) and less the library code paged in meanwhile (file-backed pages:
// the first convolution pages in megabytes of libdnnl's code, shared by every session and
// process; their growth is read at the end, so where the peak came before the last of them
// were paged in the figure errs low by those pages), against the weights plus the planned
// arena. A small unrelated network is compiled and run first (RuntimeWarmUp), so that the
// figure is the session's own and not the process's one-time start-up. The peak is read
// after compiling and three runs: later runs allocate nothing.
import Foundation
import ZooAnalysis
import ZooGraph
import ZooModels
import ZooONNX
import ZooRuntime
import ZooTensor

/// Seconds between a block of one side's runs and the next block of the other's.
let blockPause = 0.1
/// Timed seconds per side that short models' run counts are raised to, at most `maximumRuns`.
let minimumTimedSeconds = 0.5
let maximumRuns = 5000

func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

/// Writes one line to standard output at once (print buffers when piped).
func output(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// CPU time of every thread of this process so far.
func processCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) / 1e6
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(1).joined()
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
output("| model | batch | threads | ModelZoo p50 ms | onnxruntime p50 ms | ratio | GFLOP | ModelZoo GFLOP/s | onnxruntime GFLOP/s "
      + "| CPU ms ours / ORT | CPU ratio | weights MB | arena MB | session peak MB | peak / (weights + arena) | load | max abs diff |")
output("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
try RuntimeWarmUp.run(threads: options.threads)
for id in options.models {
    let sequenceLength = options.sequenceLength(for: id)
    let graph = try Zoo.model(id).graph(initialization: .seeded(1))
    let input = try BenchmarkInputs.make(for: graph, batch: options.batch, sequenceLength: sequenceLength)
    let symbols = Set(graph.inputs.flatMap(\.type.dims).map(\.description))
    let counts = try ComplexityReport(counting: graph, options: CountOptions(
        symbolValues: ["batch": options.batch, "seq": sequenceLength].filter { symbols.contains($0.key) }))
    let gigaflops = Double(try counts.total.flops.evaluate([:])) / 1e9
    let weightBytes = graph.initializers.map(\.tensor.byteCount).reduce(0, +)

    MemoryUsage.resetPeak()
    let (residentBefore, fileBackedBefore) = (MemoryUsage.resident, MemoryUsage.fileBacked)
    let session = try Session(graph: graph, options: SessionOptions(threads: options.threads))
    let summary = try session.summary(inputShapes: input.mapValues(\.shape))
    var outputs: [String: Tensor] = [:]
    for _ in 0..<3 { try session.run(input, into: &outputs) }
    // Read before the export below, whose protobuf copies would raise the peak.
    let sessionPeak = MemoryUsage.peakResident - residentBefore - (MemoryUsage.fileBacked - fileBackedBefore)

    let directory = NSTemporaryDirectory() + "zoo-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try ONNXModel(graph: graph).write(to: "\(directory)/model.onnx")
    let onnxRuntime = try OnnxRuntimeWorker(model: "\(directory)/model.onnx", inputs: input, threads: options.threads,
                                            directory: directory)

    let loadBefore = loadAverage()
    var ours: [Double] = [], theirs: [Double] = [], oursCPU: [Double] = [], theirsCPU: [Double] = []
    // A model that runs in well under a millisecond (LeNet-5) gets more runs than asked, up
    // to `minimumTimedSeconds` per side: eight samples of 0.1 ms put 1.0x and 1.7x within
    // each other's noise.
    let warmStart = DispatchTime.now().uptimeNanoseconds
    try session.run(input, into: &outputs)
    let runSeconds = Double(DispatchTime.now().uptimeNanoseconds - warmStart) / 1e9
    let runs = max(options.runs, min(maximumRuns, Int(minimumTimedSeconds / max(runSeconds, 1e-6))))
    for round in 0..<options.rounds {
        let count = runs * (round + 1) / options.rounds - runs * round / options.rounds
        // onnxruntime's idle workers keep spinning for about 40 ms after its last run
        // (measured: 39 ms of CPU in a 100 ms sleep after a 2-thread run), and libgomp's
        // after ours; a block started sooner would share a core with the other's spinners.
        // Each block therefore starts after a pause, with one untimed run.
        Thread.sleep(forTimeInterval: blockPause)
        try session.run(input, into: &outputs)
        for _ in 0..<count {
            let (start, startCPU) = (DispatchTime.now().uptimeNanoseconds, processCPUMilliseconds())
            try session.run(input, into: &outputs)
            ours.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            oursCPU.append(processCPUMilliseconds() - startCPU)
        }
        Thread.sleep(forTimeInterval: blockPause)
        _ = try onnxRuntime.time(runs: 1)
        let samples = try onnxRuntime.time(runs: count)
        theirs += samples.wall
        theirsCPU += samples.cpu
    }
    let loadAfter = loadAverage()
    let difference = onnxRuntime.outputs.map { name, expected in
        zip(outputs[name]?.doubleValues ?? [], expected.doubleValues).map { abs($0 - $1) }.max() ?? .infinity
    }.max() ?? .nan
    let (oursP50, theirsP50) = (median(ours), median(theirs))
    let megabytes = { (bytes: Int) in Double(bytes) / 1_048_576 }
    let (oursCPUP50, theirsCPUP50) = (median(oursCPU), median(theirsCPU))
    output(String(format: "| %@ | %d | %d | %.2f | %.2f | %.2fx | %.2f | %.1f | %.1f | %.1f / %.1f | %.2fx | %.1f | %.1f | %.1f | %.2f | %@–%@ | %.2g |",
                 id, options.batch, options.threads, oursP50, theirsP50, oursP50 / theirsP50, gigaflops,
                 gigaflops / oursP50 * 1000, gigaflops / theirsP50 * 1000, oursCPUP50, theirsCPUP50, oursCPUP50 / theirsCPUP50,
                 megabytes(weightBytes),
                 megabytes(summary.arenaByteCount), megabytes(sessionPeak),
                 Double(sessionPeak) / Double(weightBytes + summary.arenaByteCount), loadBefore, loadAfter, difference))
}
