// Times a Session against onnxruntime on the same zoo model, exported by ZooONNX, with the
// same input and thread count, in one process run; prints one Markdown table row per
// model. Run through Benchmarks/executor.sh (release build).
//
// usage: ZooRuntimeBench [--threads N] [--runs N] [--seq N] MODEL_ID ...
import Foundation
import ZooGraph
import ZooModels
import ZooONNX
import ZooRuntime
import ZooTensor

struct Options {
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var runs = 20
    var sequenceLength = 128
    var models: [String] = []

    init(_ arguments: [String]) {
        var remaining = arguments.makeIterator()
        while let argument = remaining.next() {
            switch argument {
            case "--threads": threads = remaining.next().flatMap(Int.init) ?? threads
            case "--runs": runs = remaining.next().flatMap(Int.init) ?? runs
            case "--seq": sequenceLength = remaining.next().flatMap(Int.init) ?? sequenceLength
            default: models.append(argument)
            }
        }
    }
}

/// Seeded inputs at batch 1: a normal image, or token ids / types / a full attention mask.
func inputs(for graph: Graph, sequenceLength: Int) throws -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for input in graph.inputs {
        let shape = input.type.dims.map { $0.value ?? ($0.description == "seq" ? sequenceLength : 1) }
        if input.type.dtype == .float32 {
            result[input.name] = try Tensor.random(shape: shape, distribution: .normal(mean: 0, standardDeviation: 1), seed: 1)
        } else {
            let count = shape.reduce(1, *)
            let values: [Int64] = (0..<count).map { input.name.contains("mask") ? 1 : input.name.contains("type") ? 0 : Int64($0 % 1000 + 100) }
            result[input.name] = try Tensor(shape: shape, scalars: values)
        }
    }
    return result
}

func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

/// onnxruntime's p50 and its outputs, from Benchmarks/ort_bench.py.
func onnxRuntime(model: String, inputs: [String: Tensor], options: Options, directory: String) throws -> (Double, [String: Tensor]) {
    var arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                        .deletingLastPathComponent().appendingPathComponent("Benchmarks/ort_bench.py").path,
                     model, directory, "\(options.threads)", "\(options.runs)"]
    for (index, (name, tensor)) in inputs.enumerated() {
        let path = "\(directory)/input_\(index).npy"
        try NPYFile.write(tensor, to: path)
        arguments.append("\(name)=\(path)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ".venv/bin/python")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    struct Report: Decodable { let p50_ms: Double; let outputs: [String] }
    let report = try JSONDecoder().decode(Report.self, from: output)
    var outputs: [String: Tensor] = [:]
    for (index, name) in report.outputs.enumerated() { outputs[name] = try NPYFile.read(from: "\(directory)/output_\(index).npy") }
    return (report.p50_ms, outputs)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
print("| model | threads | ModelZoo p50 ms | onnxruntime p50 ms | ratio | arena MB | compile s | max abs diff |")
print("|---|--:|--:|--:|--:|--:|--:|--:|")
for id in options.models {
    let graph = try Zoo.model(id).graph(initialization: .seeded(1))
    let input = try inputs(for: graph, sequenceLength: options.sequenceLength)
    let directory = NSTemporaryDirectory() + "zoo-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try ONNXModel(graph: graph).write(to: "\(directory)/model.onnx")

    let session = try Session(graph: graph, options: SessionOptions(threads: options.threads))
    let compileStart = Date()
    let summary = try session.summary(inputShapes: input.mapValues(\.shape))
    let compileSeconds = Date().timeIntervalSince(compileStart)
    var outputs: [String: Tensor] = [:]
    for _ in 0..<3 { try session.run(input, into: &outputs) }
    var samples: [Double] = []
    for _ in 0..<options.runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try session.run(input, into: &outputs)
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    let ours = median(samples)
    let (theirs, reference) = try onnxRuntime(model: "\(directory)/model.onnx", inputs: input, options: options, directory: directory)
    let difference = reference.map { name, expected in
        zip(outputs[name]?.doubleValues ?? [], expected.doubleValues).map { abs($0 - $1) }.max() ?? .infinity
    }.max() ?? .nan
    print(String(format: "| %@ | %d | %.2f | %.2f | %.2fx | %.1f | %.2f | %.2g |", id, options.threads, ours, theirs, ours / theirs,
                 Double(summary.arenaByteCount) / 1_048_576, compileSeconds, difference))
}
