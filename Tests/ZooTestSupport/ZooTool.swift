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
}
