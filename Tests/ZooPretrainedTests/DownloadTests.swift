import Foundation
import Synchronization
import Testing
import ZooPretrained
import ZooTestSupport

/// Downloads from a manifest's URL, against an HTTP server on 127.0.0.1 that the test starts:
/// the file only enters the cache once its size and SHA-256 are the manifest's.
@Suite struct DownloadTests {
    /// A folder for the server holding the real LeNet-5 weights under `name`.
    private func served(as name: String = "lenet5.h5") throws -> String {
        let directory = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: ScratchZoo.shipped("lenet5"), toPath: "\(directory)/\(name)")
        return directory
    }

    @Test func downloadsVerifiesAndThenUsesTheCache() throws {
        let server = try LocalHTTPServer(serving: try served())
        let scratch = try ScratchZoo(variant: ["url": server.url("lenet5.h5")])
        let progress = Mutex<[Int]>([])
        let (file, outcome) = try scratch.zoo.fetch("lenet5", progress: { received, total in
            progress.withLock { $0.append(received) }
            #expect(total == 252968)
        })
        #expect(outcome == .downloaded(url: server.url("lenet5.h5")))
        #expect(file == scratch.zoo.cache + "/lenet5/weights.h5")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(contentsOf: URL(fileURLWithPath: ScratchZoo.shipped("lenet5"))))
        #expect(progress.withLock { $0.last } == 252968)
        #expect(try scratch.zoo.fetch("lenet5").outcome == .cached)
        #expect(try scratch.zoo.load("lenet5").graph.initializers.count == 10)
        #expect(server.stop() == ["GET /lenet5.h5 -"])
    }

    @Test func anInterruptedDownloadResumesWhereItStopped() throws {
        let server = try LocalHTTPServer(serving: try served(), dropAfter: 100_000)
        let scratch = try ScratchZoo(variant: ["url": server.url("lenet5.h5")])
        let partial = scratch.zoo.cache + "/lenet5/weights.h5.partial"
        do {
            try scratch.zoo.fetch("lenet5")
            Issue.record("the cut transfer did not fail")
        } catch {
            guard case .downloadInterrupted(let url, 100_000, 252968, partial, _) = error else { throw error }
            #expect(url == server.url("lenet5.h5"))
            #expect(error.description.hasSuffix("\(partial) keeps them: fetch again to resume"))
        }
        #expect(FileManager.default.fileExists(atPath: scratch.zoo.cache + "/lenet5/weights.h5") == false)
        #expect(try FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int == 100_000)

        #expect(try scratch.zoo.fetch("lenet5").outcome == .downloaded(url: server.url("lenet5.h5")))
        #expect(FileManager.default.fileExists(atPath: partial) == false)
        _ = try scratch.zoo.verify("lenet5")
        #expect(server.stop() == ["GET /lenet5.h5 -", "GET /lenet5.h5 bytes=100000-"])
    }

    /// The server's file has the right size but one wrong byte: the download is refused and
    /// discarded, and the (damaged) file already in the cache is left exactly as it was.
    @Test func aChecksumMismatchLeavesTheCacheUntouched() throws {
        let directory = try served()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/lenet5.h5")))
        bytes[200_000] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: "\(directory)/lenet5.h5"))
        let server = try LocalHTTPServer(serving: directory)
        let scratch = try ScratchZoo(variant: ["url": server.url("lenet5.h5")])
        let cached = scratch.zoo.cache + "/lenet5/weights.h5"
        try FileManager.default.createDirectory(atPath: scratch.zoo.cache + "/lenet5", withIntermediateDirectories: true)
        let sentinel = Data("an older, damaged download".utf8)
        try sentinel.write(to: URL(fileURLWithPath: cached))

        do {
            try scratch.zoo.fetch("lenet5")
            Issue.record("a download with a wrong byte was accepted")
        } catch {
            guard case .checksumMismatch(let file, "lenet5", let expected, let actual) = error else { throw error }
            #expect(file == cached + ".partial")
            #expect(expected == "2d97409485b1b99e4fbfb43573b9ffcfedeac3158350d9dda1fe6e66389949fe" && actual != expected)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: cached)) == sentinel)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.zoo.cache + "/lenet5") == ["weights.h5"])
        #expect(server.stop() == ["GET /lenet5.h5 -"])
    }

    @Test func aMissingFileOnTheServerIsAClearError() throws {
        let server = try LocalHTTPServer(serving: try served())
        let scratch = try ScratchZoo(variant: ["url": server.url("elsewhere.h5")])
        #expect(throws: PretrainedError.downloadFailed(url: server.url("elsewhere.h5"), reason: "the server answered 404 Not Found")) {
            try scratch.zoo.fetch("lenet5")
        }
        #expect(FileManager.default.fileExists(atPath: scratch.zoo.cache + "/lenet5/weights.h5") == false)
        _ = server.stop()
    }

    @Test func aFileOfAnotherSizeIsRefusedBeforeItIsDownloaded() throws {
        let directory = try served()
        try Data(count: 1000).write(to: URL(fileURLWithPath: "\(directory)/small.h5"))
        let server = try LocalHTTPServer(serving: directory)
        let scratch = try ScratchZoo(variant: ["url": server.url("small.h5")])
        #expect(throws: PretrainedError.downloadFailed(url: server.url("small.h5"), reason: "the server's file is 1000 bytes, the manifest pins 252968")) {
            try scratch.zoo.fetch("lenet5")
        }
        _ = server.stop()
    }

    @Test func anUnreachableServerIsAClearError() throws {
        let scratch = try ScratchZoo(variant: ["url": "http://127.0.0.1:9/lenet5.h5"])
        do {
            try scratch.zoo.fetch("lenet5")
            Issue.record("a download from a closed port succeeded")
        } catch {
            guard case .downloadFailed(let url, _) = error else { throw error }
            #expect(url == "http://127.0.0.1:9/lenet5.h5")
        }
    }
}
