import Foundation
import ZooIO

/// Runs the independent reference tools (onnx, onnxruntime, h5py) from the virtual
/// environment that scripts/setup.sh creates. A missing environment is a test failure with
/// instructions, never a silent skip.
public enum Python {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var interpreter: String { repositoryRoot.appendingPathComponent(".venv/bin/python").path }

    /// Runs `Tests/interop/<script>` with `arguments`; returns standard output, or throws
    /// with standard error when the script fails.
    public static func run(script: String, _ arguments: [String]) throws -> String {
        try run(path: repositoryRoot.appendingPathComponent("Tests/interop/\(script)").path, arguments)
    }

    /// Runs the script at `script` (a path) with `arguments`, as `run(script:_:)` does.
    public static func run(path script: String, _ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw Failure(description: "no Python environment at \(interpreter): run scripts/setup.sh first")
        }
        let result = try Subprocess.run(interpreter, [script] + arguments)
        guard result.status == 0 else {
            throw Failure(description: "\(script) failed (\(result.status)):\n" + result.errors)
        }
        return result.output
    }

    /// Runs a script that prints one JSON object and decodes it.
    public static func json<Result: Decodable>(_ type: Result.Type, script: String, _ arguments: [String]) throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(try run(script: script, arguments).utf8))
    }
}

/// A fresh temporary directory for one test.
public func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "modelzoo-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
