import Foundation
import ZooTensor

/// A Benchmarks/ort_bench.py process holding one onnxruntime session open, so that blocks
/// of its runs can alternate with ours (`zoo bench --compare onnxruntime`, the executor
/// benchmark). It runs in the Python environment scripts/setup.sh creates.
public final class OnnxRuntimeWorker {
    private let process = Process()
    private let commands = Pipe()
    private let replies = Pipe()
    private var pending = Data()
    /// onnxruntime's outputs after its warm-up runs, by name.
    public private(set) var outputs: [String: Tensor] = [:]

    /// The repository root, from this file's place in it.
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public init(model: String, inputs: [String: Tensor], threads: Int, directory: String) throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { throw WorkerError.noPythonEnvironment(python) }
        let script = Self.root.appendingPathComponent("Benchmarks/ort_bench.py").path
        var arguments = [script, model, directory, "\(threads)"]
        for (index, (name, tensor)) in inputs.sorted(by: { $0.key < $1.key }).enumerated() {
            let path = "\(directory)/input_\(index).npy"
            try NPYFile.write(tensor, to: path)
            arguments.append("\(name)=\(path)")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardInput = commands
        process.standardOutput = replies
        try process.run()
        struct Ready: Decodable { let outputs: [String] }
        let ready = try JSONDecoder().decode(Ready.self, from: try nextLine())
        for (index, name) in ready.outputs.enumerated() {
            outputs[name] = try NPYFile.read(from: "\(directory)/output_\(index).npy")
        }
    }

    /// Times `count` runs: wall and process CPU milliseconds of each.
    public func time(runs count: Int) throws -> (wall: [Double], cpu: [Double]) {
        commands.fileHandleForWriting.write(Data("run \(count)\n".utf8))
        struct Samples: Decodable { let samples_ms: [Double]; let cpu_ms: [Double] }
        let samples = try JSONDecoder().decode(Samples.self, from: try nextLine())
        return (samples.samples_ms, samples.cpu_ms)
    }

    private func nextLine() throws -> Data {
        while true {
            if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[..<end]
                pending = Data(pending[(end + 1)...])
                return Data(line)
            }
            let chunk = replies.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw WorkerError.exited(status: process.isRunning ? nil : process.terminationStatus) }
            pending += chunk
        }
    }

    deinit {
        try? commands.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    public enum WorkerError: Error, CustomStringConvertible {
        case exited(status: Int32?)
        case noPythonEnvironment(String)

        public var description: String {
            switch self {
            case .exited(let status): "the onnxruntime worker stopped" + (status.map { " (status \($0))" } ?? "")
            case .noPythonEnvironment(let path): "no Python environment at \(path): run scripts/setup.sh"
            }
        }
    }
}
