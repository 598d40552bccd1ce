import Foundation

// The conformance runner over the ONNX node-test suite (Tests/interop/node_suite.py writes
// the cases; scripts/conformance.sh and NodeSuiteTests run this).
//
//   ZooConformanceRunner CASES_DIR [--timeout SECONDS]
//       Runs every case listed in CASES_DIR/cases.tsv, each isolated from the others' traps
//       and hangs, and prints `case<TAB>outcome<TAB>detail` per case, in the list's order:
//       passed, wrong, refused (with its reason), error, crash or hang. Standard error gets
//       the totals and the slowest cases.
//   ZooConformanceRunner --worker CASES_DIR FIRST
//       Runs the cases from index FIRST on, printing `start<TAB>i` before each and
//       `done<TAB>i<TAB>outcome<TAB>detail` after it (the supervisor's protocol).

/// Text fit for one TSV field.
func field(_ text: String) -> String {
    text.split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
}

func write(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func runWorker(directory: String, first: Int) throws {
    let cases = try NodeCase.list(in: directory)
    let fault = InjectedFault(ProcessInfo.processInfo.environment["ZOO_CONFORMANCE_FAULT"])
    for index in cases.indices where index >= first {
        write("start\t\(index)")
        fault?.strike(in: cases[index].name)
        let (outcome, detail) = cases[index].run(in: directory).line
        write("done\t\(index)\t\(outcome)\t\(field(detail))")
    }
}

func runAll(directory: String, timeout: Double) throws {
    let cases = try NodeCase.list(in: directory)
    guard let executable = Bundle.main.executablePath else { throw RunnerError("cannot find this executable's path") }
    let started = Date()
    let results = try Supervisor(executable: executable, directory: directory, cases: cases, timeout: timeout).run()
    for (nodeCase, result) in zip(cases, results) {
        write("\(nodeCase.name)\t\(result.outcome)\t\(result.detail)")
    }
    let counts = Dictionary(grouping: results, by: \.outcome).mapValues(\.count).sorted { $0.key < $1.key }
    let slowest = zip(cases, results).sorted { $0.1.seconds > $1.1.seconds }.prefix(5)
    FileHandle.standardError.write(Data((
        "\(cases.count) cases in \(String(format: "%.1f", -started.timeIntervalSinceNow)) s: "
        + counts.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\nslowest: "
        + slowest.map { "\($0.0.name) \(String(format: "%.2f", $0.1.seconds)) s" }.joined(separator: ", ") + "\n").utf8))
}

/// A test hook: ZOO_CONFORMANCE_FAULT=trap:CASE or hang:CASE makes the worker trap or hang
/// in that case, so that NodeSuiteTests can prove the supervisor records both per case.
struct InjectedFault {
    let kind: Substring
    let caseName: Substring

    init?(_ setting: String?) {
        guard let parts = setting?.split(separator: ":", maxSplits: 1), parts.count == 2 else { return nil }
        (kind, caseName) = (parts[0], parts[1])
    }

    func strike(in name: String) {
        guard name == caseName else { return }
        if kind == "trap" { fatalError("injected fault in \(name)") }
        if kind == "hang" { while true { sleep(1) } }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.count {
    case 3 where arguments[0] == "--worker":
        guard let first = Int(arguments[2]) else { throw RunnerError("FIRST must be an index, got \(arguments[2])") }
        try runWorker(directory: arguments[1], first: first)
    case 1:
        try runAll(directory: arguments[0], timeout: 120)
    case 3 where arguments[1] == "--timeout":
        guard let timeout = Double(arguments[2]), timeout > 0 else { throw RunnerError("--timeout must be positive seconds") }
        try runAll(directory: arguments[0], timeout: timeout)
    default:
        throw RunnerError("usage: ZooConformanceRunner CASES_DIR [--timeout SECONDS]")
    }
} catch {
    FileHandle.standardError.write(Data("ZooConformanceRunner: \(error)\n".utf8))
    exit(2)
}
