import Foundation
import Testing
import ZooPretrained
import ZooTestSupport
import ZooWeights

/// A file converted into the cache from a download (which no manifest can pin) has its
/// SHA-256 recorded beside it at conversion; loading checks it, names a damaged file and says
/// how to repair it, and `fetch` repairs it. Served by a local HTTP server: LeNet-5's zoo file
/// as a variant's upstream download, pinned by its SHA-256 prefix.
@Suite struct CachedDigestTests {
    private func scratchWithDownload() throws -> (zoo: PretrainedZoo, server: LocalHTTPServer) {
        let directory = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: ScratchZoo.shipped("lenet5"), toPath: "\(directory)/lenet5-2d974094.h5")
        let server = try LocalHTTPServer(serving: directory)
        let download: [String: Any] = ["url": server.url("lenet5-2d974094.h5"), "file": "lenet5-2d974094.h5", "sha256_prefix": "2d974094"]
        let scratch = try ScratchZoo(variant: ["download": download, "sha256": NSNull(), "size": NSNull()])
        return (scratch.zoo, server)
    }

    private func sha256(_ path: String) throws -> String {
        try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { SHA256.hexDigest(of: $0) } ?? ""
    }

    @Test func aDamagedConvertedFileIsNamedAndFetchRepairsIt() throws {
        let (zoo, server) = try scratchWithDownload()
        defer { _ = server.stop() }
        let (cached, outcome) = try zoo.fetch("lenet5")
        guard case .downloadedAndConverted = outcome else { throw Failure("not converted from the download: \(outcome)") }
        let recorded = try String(contentsOfFile: cached + ".sha256", encoding: .utf8)
        let digest = try sha256(cached)
        #expect(recorded == "\(digest)  weights.h5\n")
        _ = try zoo.load("lenet5")

        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cached)))
        bytes[bytes.count / 2] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: cached))
        let damaged = PretrainedError.cachedFileDamaged(file: cached, model: "lenet5", recorded: digest, actual: try sha256(cached))
        #expect(throws: damaged) { try zoo.load("lenet5") }
        #expect(damaged.description.hasSuffix("the file is damaged; 'zoo fetch lenet5' downloads and converts it again"))
        #expect(throws: damaged) { try zoo.verify("lenet5") }

        let (_, again) = try zoo.fetch("lenet5")
        guard case .downloadedAndConverted = again else { throw Failure("the damaged file was kept: \(again)") }
        #expect(try sha256(cached) == digest)
        _ = try zoo.load("lenet5")
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
