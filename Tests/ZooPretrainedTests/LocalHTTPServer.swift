import Foundation
import ZooTestSupport

/// Tests/interop/range_http_server.py serving a directory on 127.0.0.1, so that download
/// tests never leave the machine.
final class LocalHTTPServer {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let port: Int
    private let process = Process()
    private let output = Pipe()
    /// The server exits when this closes (SIGTERM may be blocked in processes tests start).
    private let input = Pipe()
    /// What the server printed after its port, read while waiting for the port.
    private var leftover = Data()

    /// `dropAfter`: cut the first response for each file after this many body bytes.
    init(serving directory: String, dropAfter: Int? = nil) throws {
        process.executableURL = URL(fileURLWithPath: Python.interpreter)
        process.arguments = [Python.repositoryRoot.appendingPathComponent("Tests/interop/range_http_server.py").path, directory]
            + (dropAfter.map { ["--drop-after", "\($0)"] } ?? [])
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Failure(description: "range_http_server.py exited before printing its port") }
            printed += chunk
        }
        let newline = printed.firstIndex(of: UInt8(ascii: "\n"))!
        guard let port = Int(String(decoding: printed[..<newline], as: UTF8.self)) else {
            throw Failure(description: "range_http_server.py printed no port: \(String(decoding: printed, as: UTF8.self))")
        }
        self.port = port
        leftover = printed[(newline + 1)...]
    }

    func url(_ file: String) -> String { "http://127.0.0.1:\(port)/\(file)" }

    /// Stops the server; returns its request log, one "GET <path> <Range or ->" per request.
    func stop() -> [String] {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let log = leftover + output.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: log, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    deinit {
        try? input.fileHandleForWriting.close()
    }
}
