import Foundation
import ModelZoo

/// onnxruntime timed on the same graph and inputs, through Benchmarks/ort_bench.py in the
/// Python environment that scripts/setup.sh creates next to the package.
struct OnnxRuntimePeer {
    let median: Double
    let p90: Double
    let outputs: [String: Tensor]

    init(graph: Graph, inputs: [String: Tensor], threads: Int, runs: Int) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let python = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw CommandError("--compare onnxruntime needs the Python environment: run scripts/setup.sh")
        }
        let directory = NSTemporaryDirectory() + "zoo-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ONNXModel(graph: graph).write(to: "\(directory)/model.onnx")
        var arguments = [root.appendingPathComponent("Benchmarks/ort_bench.py").path, "\(directory)/model.onnx", directory,
                         "\(threads)", "\(runs)"]
        for (index, (name, tensor)) in inputs.sorted(by: { $0.key < $1.key }).enumerated() {
            try NPYFile.write(tensor, to: "\(directory)/input_\(index).npy")
            arguments.append("\(name)=\(directory)/input_\(index).npy")
        }
        let result = try Subprocess.run(python, arguments)
        guard result.status == 0 else { throw CommandError("onnxruntime failed on the exported model:\n\(result.errors)") }
        struct Report: Decodable {
            let p50_ms: Double
            let p90_ms: Double?
            let outputs: [String]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
        median = report.p50_ms
        p90 = report.p90_ms ?? .nan
        var outputs: [String: Tensor] = [:]
        for (index, name) in report.outputs.enumerated() {
            outputs[name] = try NPYFile.read(from: "\(directory)/output_\(index).npy")
        }
        self.outputs = outputs
    }
}
