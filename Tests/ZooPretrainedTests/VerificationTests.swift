import Foundation
import Testing
import ZooPretrained
import ZooTestSupport
import ZooWeights

/// `verify`: every check passes on the zoo's weights, and each kind of damage is named.
@Suite struct VerificationTests {
    @Test func lenetVerifiesByIDAndByFile() throws {
        let zoo = PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent")
        let byID = try zoo.verify("lenet5")
        #expect(byID.file == ScratchZoo.shipped("lenet5"))
        #expect(byID.checks.count == 6)
        #expect(byID.checks[1] == "datasets: 10; 10 carried a SHA-256 and matched it, 0 carried none (covered only by the file's SHA-256)")
        #expect(byID.checks[3] == "layout: 10 parameters (61706 values) with the architecture's names, shapes and dtypes")
        #expect(byID.checks[5].hasPrefix("golden test_data_set_0: logits float32[8, 10]: max |difference| "))

        let copy = try temporaryDirectory() + "/copy.h5"
        try FileManager.default.copyItem(atPath: ScratchZoo.shipped("lenet5"), toPath: copy)
        let byFile = try zoo.verify(copy)
        #expect(byFile.model == "lenet5" && byFile.file == copy && byFile.checks == byID.checks)
    }

    @Test func weightsThatAreNotFetchedAreAClearError() throws {
        let scratch = try ScratchZoo()
        let expected = PretrainedError.notFetched(
            model: "lenet5", cacheFile: scratch.zoo.cache + "/lenet5/weights.h5",
            hint: "convert them from the original with 'zoo fetch lenet5 --from FILE' (origin: \(try scratch.zoo.manifest("lenet5").weights[0].source.origin))")
        #expect(throws: expected) { try scratch.zoo.verify("lenet5") }
    }

    /// A file with one flipped data byte is not the manifest's file, and its datasets no longer
    /// match their checksums: verifying by file names whose weights it claims to be.
    @Test func aDamagedFileIsNamed() throws {
        let zoo = PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ScratchZoo.shipped("lenet5"))))
        bytes[bytes.count - 100] ^= 0x10
        let damaged = try temporaryDirectory() + "/damaged.h5"
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        #expect(throws: PretrainedError.checksumMismatch(file: damaged, model: "lenet5", expected: try #require(try zoo.manifest("lenet5").weights[0].sha256),
                                                         actual: try sha256(damaged))) {
            try zoo.verify(damaged)
        }
    }

    /// A cache entry that is not the manifest's file is refused before anything reads it.
    @Test func aTamperedCacheEntryFailsVerification() throws {
        let scratch = try ScratchZoo()
        let cached = scratch.zoo.cache + "/lenet5/weights.h5"
        try FileManager.default.createDirectory(atPath: scratch.zoo.cache + "/lenet5", withIntermediateDirectories: true)
        try Data(count: 252968).write(to: URL(fileURLWithPath: cached))
        #expect(throws: PretrainedError.self) { try scratch.zoo.verify("lenet5") }
        do { _ = try scratch.zoo.verify("lenet5") } catch {
            #expect(error.description.hasPrefix("\(cached): SHA-256 is "))
            #expect(error.description.hasSuffix("but the manifest of 'lenet5' pins 2d97409485b1b99e4fbfb43573b9ffcfedeac3158350d9dda1fe6e66389949fe: not its weights"))
        }
    }

    /// The golden check bites: one changed expected value is reported with the output's name.
    @Test func aGoldenMismatchNamesTheOutput() throws {
        let scratch = try ScratchZoo(shipWeights: true)
        let golden = scratch.zoo.shippedFile("test_data_set_0/output_0.pb", of: "lenet5")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: golden)))
        // raw_data comes last: its last 4 bytes are logit [7, 9]; flip its lowest exponent bit (halving or doubling it).
        bytes[bytes.count - 2] ^= 0x80
        try Data(bytes).write(to: URL(fileURLWithPath: golden))
        do {
            _ = try scratch.zoo.verify("lenet5")
            Issue.record("verify passed with a wrong golden output")
        } catch {
            guard case .goldenMismatch(let model, let output, let reason) = error else { throw error }
            #expect(model == "lenet5" && output == "logits")
            #expect(reason.hasPrefix("1 elements differ; first at flat index 79: "))
        }
    }

    @Test func aTruncatedGoldenFileIsAClearError() throws {
        let scratch = try ScratchZoo(shipWeights: true)
        let golden = scratch.zoo.shippedFile("test_data_set_0/input_0.pb", of: "lenet5")
        try Data(try Data(contentsOf: URL(fileURLWithPath: golden)).prefix(1000)).write(to: URL(fileURLWithPath: golden))
        #expect(throws: PretrainedError.self) { try scratch.zoo.verify("lenet5") }
        do { _ = try scratch.zoo.verify("lenet5") } catch {
            #expect(error.description == "\(golden): unusable golden file: not a serialized TensorProto: the protobuf data is truncated or corrupt (1000 bytes)")
        }
    }

    private func sha256(_ path: String) throws -> String {
        try #require(try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { SHA256.hexDigest(of: $0) })
    }
}
