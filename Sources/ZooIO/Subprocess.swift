import Foundation

/// Runs another program to completion and collects what it printed: the reference tools
/// (onnxruntime through Python, h5dump) that benchmarks and tests compare against.
public enum Subprocess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    /// Written by the draining thread before it signals; read only after the wait.
    private final class ErrorText: @unchecked Sendable {
        var value = ""
    }

    public static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain standard error on another thread so a chatty tool cannot fill its pipe and
        // stall while we wait on standard output.
        let errorText = ErrorText()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorText.value = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            drained.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      errors: errorText.value)
    }
}
