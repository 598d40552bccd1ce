import Foundation
import Testing
import ZooIO
import ZooTestSupport

/// The whole ONNX node-test suite of the installed onnx package (every case with tensor
/// inputs and outputs, not only the operators we claim; onnx is pinned in scripts/setup.sh),
/// written by Tests/interop/node_suite.py and run by ZooConformanceRunner in a separate
/// process, which records a trap or a hang as that case's outcome. Each case is judged
/// against the suite's reference outputs (dtype, shape, and values within the case's own
/// rtol and atol: 1e-3 and 1e-7 for every case today).
///
/// Fails on any wrong output, unexpected error (one that is not a stated "not supported"),
/// crash or hang; on a case the checked-in table (Tests/Conformance/node-suite.tsv) lists
/// as passed that no longer passes; and on a table out of date with this run, whose diff it
/// prints: whoever makes more cases pass regenerates it with scripts/conformance.sh.
@Suite struct NodeSuiteTests {
    static let tableDirectory = Python.repositoryRoot.appendingPathComponent("Tests/Conformance").path

    /// The runner sits next to the test bundle in the build products directory.
    static var runner: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ZooConformanceRunner").path
    }

    struct Result {
        var outcome: String
        var detail: String
    }

    /// case → outcome, from the runner's `case<TAB>outcome<TAB>detail` lines.
    static func results(_ text: String) -> [String: Result] {
        var results: [String: Result] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3 { results[fields[0]] = Result(outcome: fields[1], detail: fields[2]) }
        }
        return results
    }

    /// Runs the runner on `directory`, with extra environment variables (via env(1)).
    static func run(_ directory: String, _ arguments: [String] = [], environment: [String] = []) throws -> Subprocess.Result {
        try Subprocess.run("/usr/bin/env", environment + [runner, directory] + arguments)
    }

    @Test func wholeSuiteMatchesTheTable() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let suite = try NodeSuiteCases.get()
        let cases = suite.directory
        let run = try Self.run(cases)
        try #require(run.status == 0, "the runner failed: \(run.errors)")
        print("ONNX node-test suite: " + run.errors)
        let results = Self.results(run.output)
        #expect(results.count == suite.count)

        for (name, result) in results.sorted(by: { $0.key < $1.key }) where !["passed", "refused"].contains(result.outcome) {
            Issue.record("\(name): \(result.outcome): \(result.detail)")
        }
        let tablePath = Self.tableDirectory + "/node-suite.tsv"
        let table = try String(contentsOfFile: tablePath, encoding: .utf8)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, fields[2] == "passed" else { continue }
            let now = results[fields[0]]
            if now?.outcome != "passed" {
                Issue.record("regression: \(fields[0]) passed in the table, now \(now.map { "\($0.outcome): \($0.detail)" } ?? "missing")")
            }
        }

        // The table this run gives, with onnxruntime's column taken from the checked-in one.
        try run.output.write(toFile: directory + "/zoo.tsv", atomically: true, encoding: .utf8)
        _ = try Python.run(script: "node_suite.py", ["table", cases, directory + "/zoo.tsv", tablePath,
                                                    directory + "/node-suite.tsv", directory + "/node-suite.md"])
        for file in ["node-suite.tsv", "node-suite.md"] {
            let difference = try Subprocess.run("/usr/bin/diff", ["-u", Self.tableDirectory + "/" + file, directory + "/" + file])
            if difference.status != 0 {
                let message = "Tests/Conformance/\(file) is out of date with this run: run scripts/conformance.sh and commit it.\n"
                Issue.record(Comment(rawValue: message + difference.output + difference.errors))
            }
        }
    }

    /// A case that traps or hangs is recorded as a crash or hang of that case alone; the
    /// cases after it still run (the runner's worker is told to fail by a test hook).
    @Test func aTrapOrHangIsRecordedForItsCaseAlone() throws {
        // Three cases of the generated suite, linked into a directory of their own.
        let suite = try NodeSuiteCases.get().directory
        let cases = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cases) }
        let names = ["test_relu", "test_sigmoid", "test_tanh"]
        for name in names { try FileManager.default.createSymbolicLink(atPath: cases + "/" + name, withDestinationPath: suite + "/" + name) }
        let lines = try String(contentsOfFile: suite + "/cases.tsv", encoding: .utf8).split(separator: "\n")
            .filter { names.contains(String($0.prefix { $0 != "\t" })) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: cases + "/cases.tsv", atomically: true, encoding: .utf8)
        for (fault, outcome, detail) in [("trap", "crash", "died of signal"), ("hang", "hang", "no result within 3 s")] {
            let run = try Self.run(cases, ["--timeout", "3"], environment: ["ZOO_CONFORMANCE_FAULT=\(fault):test_sigmoid"])
            #expect(run.status == 0, "\(run.errors)")
            let results = Self.results(run.output)
            #expect(results.mapValues(\.outcome) == ["test_relu": "passed", "test_sigmoid": outcome, "test_tanh": "passed"])
            let recorded = results["test_sigmoid"]?.detail ?? ""
            #expect(recorded.hasPrefix(detail), "\(recorded)")
            if fault == "trap" { #expect(recorded.contains("injected fault in test_sigmoid"), "\(recorded)") }
        }
    }
}
