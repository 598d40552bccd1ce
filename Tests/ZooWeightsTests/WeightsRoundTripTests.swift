import Foundation
import Testing
import ZooGraph
import ZooIO
import ZooTensor
import ZooTestSupport
import ZooWeights

@Suite struct WeightsRoundTripTests {
    @Test func float32ComesBackBitForBit() throws {
        let path = try SampleWeights.saved()
        let (metadata, parameters) = try WeightsFile.load(path)
        #expect(metadata == SampleWeights.metadata)
        #expect(metadata.createdBy == "ModelZoo \(ModelZooVersion.string)")
        let original = try SampleWeights.parameters()
        #expect(parameters.count == original.count)
        for initializer in original {
            #expect(parameters[initializer.name] == initializer.tensor, "\(initializer.name)")
        }
    }

    /// Attributes above 64 KiB need HDF5's dense attribute storage, which the 1.8 format has.
    @Test func largeConfigurationsRoundTrip() throws {
        let configuration = #"{"layers": ["# + (0..<20000).map(String.init).joined(separator: ",") + "]}"
        let metadata = WeightsMetadata(architecture: "wide", configuration: configuration, createdBy: "a test")
        let path = try temporaryDirectory() + "/wide.h5"
        try WeightsFile.save([], metadata: metadata, to: path)
        #expect(try WeightsFile.load(path).metadata == metadata)
    }

    /// Every float32 parameter is stored as a nearest half-precision value, ties to even,
    /// checked bit for bit against its neighbours (truncation is off by less than an ulp, so
    /// no tolerance would see it); integers are kept as they are.
    @Test(arguments: [DType.float16, .bfloat16])
    func halfPrecisionFilesRoundToTheNearestValue(dtype: DType) throws {
        let path = try SampleWeights.saved(dtype: dtype)
        let (metadata, parameters) = try WeightsFile.load(path)
        #expect(metadata.dtype == dtype)
        for initializer in try SampleWeights.parameters() {
            let loaded = try #require(parameters[initializer.name])
            guard initializer.tensor.dtype.isFloatingPoint else {
                #expect(loaded == initializer.tensor, "\(initializer.name)")
                continue
            }
            #expect(loaded.dtype == dtype)
            let bits = loaded.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
            let values = try initializer.tensor.scalars(as: Float.self)
            let wrong = zip(bits, values).enumerated().filter { !Self.isNearestEven($1.0, to: $1.1, dtype: dtype) }
            let first = wrong.first.map { "[\($0.offset)] \($0.element.1) stored as 0x\(String($0.element.0, radix: 16))" } ?? ""
            #expect(wrong.isEmpty, "\(initializer.name): \(wrong.count) values not rounded to nearest even; first \(first)")
        }
        // 1/3 rounds to nearest even: float16 0x3555, bfloat16 0x3EAB.
        let third = Graph.Initializer(name: "third", tensor: Tensor(scalar: Float(1) / 3))
        try WeightsFile.save([third], metadata: metadata, to: path)
        let stored = try #require(try WeightsFile.load(path).parameters["third"])
        let bits = stored.withUnsafeBytes { $0.load(as: UInt16.self) }
        #expect(bits == (dtype == .float16 ? 0x3555 : 0x3EAB))
    }

    /// Whether `bits` is as near to `value` as its two neighbouring bit patterns and, when a
    /// neighbour is as near (a tie), is the even one.
    static func isNearestEven(_ bits: UInt16, to value: Float, dtype: DType) -> Bool {
        func decoded(_ bits: UInt16) -> Double {
            dtype == .float16 ? Double(Float16(bitPattern: bits)) : Double(BFloat16(bitPattern: bits).floatValue)
        }
        let distance = abs(decoded(bits) - Double(value))
        return [bits &- 1, bits &+ 1].allSatisfy { neighbour in
            let neighbourDistance = abs(decoded(neighbour) - Double(value))
            return neighbourDistance.isNaN || neighbourDistance > distance || (neighbourDistance == distance && bits & 1 == 0)
        }
    }

    @Test func compressedFilesHoldTheSameValues() throws {
        let path = try SampleWeights.saved(options: WeightsSaveOptions(compress: true, compressionLevel: 6))
        let parameters = try WeightsFile.load(path).parameters
        for initializer in try SampleWeights.parameters() {
            #expect(parameters[initializer.name] == initializer.tensor, "\(initializer.name)")
        }
    }

    /// No timestamps: a zoo manifest can pin a file's SHA-256 and a re-export reproduces it.
    @Test func theSameParametersGiveTheSameBytes() throws {
        let first = try SampleWeights.saved()
        Thread.sleep(forTimeInterval: 1.1)
        let second = try SampleWeights.saved()
        #expect(try FileReader.readAll(first, limit: 1 << 20) == (try FileReader.readAll(second, limit: 1 << 20)))
    }

    @Test func savingReplacesTheFileAndLeavesNoTemporaryFiles() throws {
        let path = try SampleWeights.saved()
        let replacement = [Graph.Initializer(name: "only.weight", tensor: try .random(shape: [2, 2], seed: 9))]
        try WeightsFile.save(replacement, metadata: SampleWeights.metadata, to: path)
        #expect(try WeightsFile.load(path).parameters == ["only.weight": replacement[0].tensor])
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try temporaryLeftovers(in: directory).isEmpty)
    }

    /// "a.b" is a dataset, so "a.b.c" cannot make it a group: libhdf5 fails half-way through
    /// writing, after other datasets are written.
    @Test func aFailedSaveKeepsTheOldFileAndLeavesNoTemporaryFiles() throws {
        let path = try SampleWeights.saved()
        let before = try FileReader.readAll(path, limit: 1 << 20)
        let conflicting = [
            Graph.Initializer(name: "a.b", tensor: try .random(shape: [2], seed: 1)),
            Graph.Initializer(name: "a.b.c", tensor: try .random(shape: [2], seed: 2)),
        ]
        #expect {
            try WeightsFile.save(conflicting, metadata: SampleWeights.metadata, to: path)
        } throws: { error in
            guard case .hdf5(path, "cannot create group '/a/b' for parameter 'a.b.c'", _) = error as? WeightsError else { return false }
            return true
        }
        #expect(try FileReader.readAll(path, limit: 1 << 20) == before)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try temporaryLeftovers(in: directory).isEmpty)
    }

    @Test func refusesNamesAndMetadataThatCannotBeStored() throws {
        let path = try temporaryDirectory() + "/refused.h5"
        let tensor = try Tensor.random(shape: [2], seed: 1)
        let refusals: [(String, String)] = [
            ("a..b", "parameter name 'a..b' has an empty component"),
            (".a", "parameter name '.a' has an empty component"),
            ("", "parameter name '' has an empty component"),
            ("a/b", "parameter name 'a/b' contains '/', which HDF5 reads as a group separator"),
        ]
        for (name, reason) in refusals {
            #expect(throws: WeightsError.invalidInput(file: path, reason: reason)) {
                try WeightsFile.save([.init(name: name, tensor: tensor)], metadata: SampleWeights.metadata, to: path)
            }
        }
        let badMetadata: [(WeightsMetadata, String)] = [
            (WeightsMetadata(architecture: "x", configuration: "[1, 2]"), "the configuration is not the text of a JSON object: [1, 2]"),
            (WeightsMetadata(architecture: "x", configuration: "{"), "the configuration is not the text of a JSON object: {"),
            (WeightsMetadata(architecture: "x", dtype: .int8), "metadata dtype int8 is not a floating-point type"),
        ]
        for (metadata, reason) in badMetadata {
            #expect(throws: WeightsError.invalidInput(file: path, reason: reason)) {
                try WeightsFile.save([], metadata: metadata, to: path)
            }
        }
        #expect(throws: WeightsError.invalidInput(file: path, reason: "gzip level 0 is not between 1 and 9")) {
            try WeightsFile.save([], metadata: SampleWeights.metadata, to: path, options: WeightsSaveOptions(compress: true, compressionLevel: 0))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect {
            try WeightsFile.save([], metadata: SampleWeights.metadata, to: "/nonexistent-directory/x.h5")
        } throws: { error in
            (error as? WeightsError)?.description.hasPrefix(
                "/nonexistent-directory/x.h5: cannot create a temporary file in /nonexistent-directory: ") == true
        }
    }

    /// libhdf5 is not thread-safe; the module's lock must make concurrent use safe.
    @Test func concurrentSavesAndLoadsAgree() async throws {
        let directory = try temporaryDirectory()
        let parameters = try SampleWeights.parameters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let path = "\(directory)/concurrent-\(index).h5"
                    for _ in 0..<5 {
                        try WeightsFile.save(parameters, metadata: SampleWeights.metadata, to: path)
                        let loaded = try WeightsFile.load(path).parameters
                        #expect(loaded == Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.tensor) }))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

@Suite struct WeightsDigestTests {
    @Test func digestCoversNamesOrderAndBytes() throws {
        let a = Graph.Initializer(name: "a", tensor: try Tensor(shape: [2], scalars: [Float(1), 2]))
        let b = Graph.Initializer(name: "b", tensor: try Tensor(shape: [1], scalars: [Float(3)]))
        let digest = try WeightsDigest.of([a, b])
        #expect(digest.count == 64)
        #expect(try WeightsDigest.of([a, b]) == digest)
        #expect(try WeightsDigest.of([b, a]) != digest)
        var changed = b
        changed.tensor = try Tensor(shape: [1], scalars: [Float(3.0000002)])
        #expect(try WeightsDigest.of([a, changed]) != digest)
        #expect(try WeightsDigest.of([a, Graph.Initializer(name: "c", tensor: b.tensor)]) != digest)
        // SHA-256 of "" is the well-known e3b0c442…; of no parameters, the digest of no lines.
        #expect(try WeightsDigest.of([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
