import Foundation

/// Runs the cases in a worker process (this executable with `--worker`) and reads its
/// progress, so that a case that traps or hangs is recorded as a crash or a hang of that
/// case: the worker is then killed if needed and a new one continues with the next case.
/// One process serves every case that finishes, so isolation costs nothing until a case fails.
struct Supervisor {
    let executable: String
    let directory: String
    let cases: [NodeCase]
    /// The most a case may take, in seconds.
    let timeout: Double

    struct Result {
        var outcome: String
        var detail: String
        var seconds: Double
    }

    func run() throws -> [Result] {
        var results: [Result?] = Array(repeating: nil, count: cases.count)
        var next = 0
        while next < cases.count {
            let errorsPath = NSTemporaryDirectory() + "zoo-node-suite-\(UUID().uuidString).err"
            defer { try? FileManager.default.removeItem(atPath: errorsPath) }
            let worker = try Worker(executable: executable, arguments: ["--worker", directory, String(next)], errorsPath: errorsPath)
            var reader = LineReader(descriptor: worker.output)
            var current: (index: Int, started: Date)?
            let first = next
            reading: while true {
                switch reader.next(within: timeout) {
                case .line(let line):
                    // Anything else a library may print is not the protocol's and is skipped.
                    let fields = line.components(separatedBy: "\t")
                    guard fields.count >= 2, let index = Int(fields[1]), cases.indices.contains(index) else { continue }
                    if fields[0] == "start" {
                        current = (index, Date())
                    } else if fields[0] == "done", fields.count == 4 {
                        results[index] = Result(outcome: fields[2], detail: fields[3],
                                                seconds: -(current?.started.timeIntervalSinceNow ?? 0))
                        current = nil
                        next = index + 1
                    }
                case .timedOut:
                    worker.kill()
                    guard let current else { throw RunnerError("the worker printed nothing for \(timeout) s") }
                    results[current.index] = Result(outcome: "hang", detail: "no result within \(Int(timeout)) s", seconds: timeout)
                    next = current.index + 1
                    break reading
                case .ended:
                    let exit = worker.waitForExit()
                    if let current {
                        let message = Self.lastWords(errorsPath).map { ": " + $0 } ?? ""
                        results[current.index] = Result(outcome: "crash", detail: exit + message,
                                                        seconds: -current.started.timeIntervalSinceNow)
                        next = current.index + 1
                    } else if next < cases.count || next == first {
                        throw RunnerError("the worker \(exit) between cases: " + (Self.lastWords(errorsPath) ?? ""))
                    }
                    break reading
                }
            }
        }
        // Every case has a result: the worker reports them in order, and a worker that
        // stops between cases before the last is an error above.
        return results.compactMap { $0 }
    }

    /// The runtime's message of a trap ("Fatal error: …"), else the last line the worker
    /// wrote to standard error.
    private static func lastWords(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.first { $0.contains("Fatal error") } ?? lines.last
    }
}

/// A worker process whose standard output is read through a pipe and whose standard error
/// goes to a file.
private final class Worker {
    let process = Process()
    let output: Int32
    private let pipe = Pipe()

    init(executable: String, arguments: [String], errorsPath: String) throws {
        guard FileManager.default.createFile(atPath: errorsPath, contents: nil),
              let errors = FileHandle(forWritingAtPath: errorsPath) else {
            throw RunnerError("cannot create \(errorsPath)")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // A trap should end the worker at once, not symbolicate a backtrace first.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        output = pipe.fileHandleForReading.fileDescriptor
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// How the worker ended, in words.
    func waitForExit() -> String {
        process.waitUntilExit()
        switch process.terminationReason {
        case .uncaughtSignal: return "died of signal \(process.terminationStatus)"
        default: return "exited with status \(process.terminationStatus)"
        }
    }
}
