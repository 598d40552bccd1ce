import Foundation
import ZooIO

/// Runs the built `zoo` executable, as a user would.
public enum ZooTool {
    /// `zoo` sits next to the test bundle in the build products directory.
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zoo")
    }

    public static func run(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(executable.path, arguments)
    }

    /// Runs `zoo` with extra environment variables (such as ZOO_CACHE), set by env(1).
    public static func run(_ arguments: [String], environment: [String: String]) throws -> Subprocess.Result {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try Subprocess.run("/usr/bin/env", assignments + [executable.path] + arguments)
    }

    /// Runs `zoo` as `run` does, and throws with what it printed on standard error unless
    /// it exits with status 0.
    public static func succeed(_ arguments: [String], environment: [String: String] = [:]) throws -> Subprocess.Result {
        let result = environment.isEmpty ? try run(arguments) : try run(arguments, environment: environment)
        guard result.status == 0 else { throw Failure(arguments: arguments, status: result.status, errors: result.errors) }
        return result
    }

    public struct Failure: Error, CustomStringConvertible {
        public let arguments: [String]
        public let status: Int32
        public let errors: String

        public var description: String { "zoo \(arguments.joined(separator: " ")) exited with \(status):\n\(errors)" }
    }
}
