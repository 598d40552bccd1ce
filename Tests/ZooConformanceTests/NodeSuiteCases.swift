import Foundation
import ZooTestSupport

/// The installed onnx package's node-test suite, written once per test run by
/// Tests/interop/node_suite.py (about 15 s) and shared by the tests that read it.
enum NodeSuiteCases {
    struct Generated: Sendable {
        /// Holds a directory per case, `cases.tsv` (case, operator, rtol, atol) and
        /// `operators.txt` (every default-domain operator the onnx package defines).
        let directory: String
        let count: Int
    }

    private static let generated = Result { () throws -> Generated in
        let directory = try temporaryDirectory() + "/cases"
        let written = try Python.run(script: "node_suite.py", ["generate", directory])
        guard let count = Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw GenerationFailure(description: "node_suite.py generate printed no case count: \(written)")
        }
        return Generated(directory: directory, count: count)
    }

    struct GenerationFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func get() throws -> Generated { try generated.get() }

    /// (case, operator under test) in the suite's order.
    static func operators() throws -> [(name: String, operator: String)] {
        try String(contentsOfFile: get().directory + "/cases.tsv", encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t").map(String.init)
            return (fields[0], fields[1])
        }
    }
}
