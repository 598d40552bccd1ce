import Foundation
import Testing
import ZooPretrained
import ZooTestSupport
import ZooWeights

/// `zoo fetch` of a torchvision model: the repository's resnet18 manifest with its download
/// pointed at a server on 127.0.0.1 that serves a full-size torchvision resnet18 checkpoint
/// in torch's own bytes (seeded parameters, rebuilt by regenerate_checkpoint.py, 46 MB, not
/// committed). The file is checked by its SHA-256 prefix, converted and cached; a wrong prefix
/// leaves nothing behind.
@Suite(.serialized) struct TorchvisionFetchTests {
    /// The checkpoint's folder, its file name and its SHA-256, made once per test run.
    static let checkpoint = Result<(directory: String, name: String, sha256: String), any Error> {
        let directory = try temporaryDirectory()
        let path = try Python.run(script: "regenerate_checkpoint.py", ["resnet18", directory])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let sha256 = try #require(try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped).withUnsafeBytes { SHA256.hexDigest(of: $0) })
        return (directory, URL(fileURLWithPath: path).lastPathComponent, sha256)
    }

    /// The repository's resnet18 manifest, its default variant downloading from `server`.
    private func scratch(_ server: LocalHTTPServer, prefix: String) throws -> ScratchZoo {
        let served = try Self.checkpoint.get()
        let download: [String: Any] = ["url": server.url(served.name), "file": "resnet18-local.pth", "sha256_prefix": prefix]
        return try ScratchZoo(["resnet18"], variant: ["download": download])
    }

    @Test func downloadsChecksThePrefixConvertsAndCaches() throws {
        let served = try Self.checkpoint.get()
        let server = try LocalHTTPServer(serving: served.directory)
        let scratch = try scratch(server, prefix: String(served.sha256.prefix(8)))
        let (file, outcome) = try scratch.zoo.fetch("resnet18")
        let pin = "its SHA-256 begins with \(served.sha256.prefix(8)) (the only hash its publisher gives; not a full SHA-256)"
        guard case .downloadedAndConverted(server.url(served.name), pin, let ignored) = outcome else {
            Issue.record("unexpected outcome \(outcome)")
            return
        }
        // torchvision's checkpoint holds no tensor that is not a parameter or a BatchNorm statistic.
        #expect(ignored.allSatisfy { $0.contains("num_batches_tracked") })
        #expect(file == scratch.zoo.cache + "/resnet18/imagenet1k_v1.h5")
        // Only the converted file and its recorded SHA-256 stay: the checkpoint and every staging file are gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.zoo.cache + "/resnet18").sorted()
            == ["imagenet1k_v1.h5", "imagenet1k_v1.h5.sha256"])
        let model = try scratch.zoo.load("resnet18")
        #expect(model.graph.initializers.count == 102)
        #expect(try scratch.zoo.fetch("resnet18").outcome == .cached)
        let verification = try scratch.zoo.verify("resnet18")
        #expect(verification.checks.first == "file: not pinned by the manifest (variant imagenet1k-v1), converted from a download "
                + "checked that \(pin)")
        #expect(server.stop() == ["GET /\(served.name) -"])
    }

    @Test func aWrongPrefixIsRefusedAndNothingIsCached() throws {
        let served = try Self.checkpoint.get()
        let server = try LocalHTTPServer(serving: served.directory)
        let wrong = served.sha256.hasPrefix("0") ? "10000000" : "00000000"
        let scratch = try scratch(server, prefix: wrong)
        let error = #expect(throws: PretrainedError.self) { try scratch.zoo.fetch("resnet18") }
        #expect(error?.description.hasSuffix(".partial: SHA-256 \(served.sha256), but the manifest of 'resnet18' pins a SHA-256 beginning with \(wrong): not its weights") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.zoo.cache + "/resnet18") == [])
        _ = server.stop()
    }

    /// An MD5 pin (Keras Applications' only hash) is checked in full: the right one converts,
    /// one wrong digit is refused with nothing cached.
    @Test func anMD5PinIsCheckedInFull() throws {
        // RFC 1321's test vector: our MD5 is MD5.
        #expect(Array("abc".utf8).withUnsafeBytes { MD5.hexDigest(of: $0) } == "900150983cd24fb0d6963f7d28e17f72")
        let served = try Self.checkpoint.get()
        let md5 = try #require(try Data(contentsOf: URL(fileURLWithPath: "\(served.directory)/\(served.name)"), options: .alwaysMapped)
            .withUnsafeBytes { MD5.hexDigest(of: $0) })
        let wrong = (md5.hasPrefix("0") ? "1" : "0") + md5.dropFirst()
        let server = try LocalHTTPServer(serving: served.directory)
        for (pin, accepted) in [(wrong, false), (md5, true)] {
            let download: [String: Any] = ["url": server.url(served.name), "file": "resnet18-local.pth", "md5": pin]
            let scratch = try ScratchZoo(["resnet18"], variant: ["download": download])
            if accepted {
                #expect(try scratch.zoo.fetch("resnet18").file == scratch.zoo.cache + "/resnet18/imagenet1k_v1.h5")
            } else {
                let error = #expect(throws: PretrainedError.self) { try scratch.zoo.fetch("resnet18") }
                #expect(error?.description.hasSuffix(".partial: MD5 \(md5), but the manifest of 'resnet18' pins MD5 \(wrong): not its weights") == true)
                #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.zoo.cache + "/resnet18") == [])
            }
        }
        _ = server.stop()
    }

    /// The publisher's approximate size bounds a download that pins no exact size: a 46 MB
    /// file said to be about 1 MB is refused before its bytes are kept.
    @Test func theApproximateSizeBoundsTheDownload() throws {
        let served = try Self.checkpoint.get()
        let server = try LocalHTTPServer(serving: served.directory)
        let download: [String: Any] = ["url": server.url(served.name), "file": "resnet18-local.pth",
                                       "sha256_prefix": String(served.sha256.prefix(8)), "approximate_megabytes": 1]
        let scratch = try ScratchZoo(["resnet18"], variant: ["download": download])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: "\(served.directory)/\(served.name)")[.size] as? Int)
        #expect(throws: PretrainedError.downloadFailed(url: server.url(served.name), reason:
            "the server's file is \(size) bytes, more than the 1153434 the manifest's approximate size allows")) {
            try scratch.zoo.fetch("resnet18")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.zoo.cache + "/resnet18").allSatisfy { $0.hasSuffix(".partial") })
        _ = server.stop()
    }
}
