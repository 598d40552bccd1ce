import Foundation
import Testing
import ZooONNX
import ZooPretrained
import ZooTensor
import ZooTestSupport
import ZooWeights

/// `fetch --from`: weights in ONNX, safetensors or zoo HDF5 become the manifest's file, bit
/// for bit, or a clear error that leaves the cache as it was.
@Suite struct ConversionTests {
    /// The shipped LeNet-5 parameters, by name.
    static let parameters = Result { try WeightsFile.load(ScratchZoo.shipped("lenet5")).parameters }

    private func safetensors(_ tensors: [(name: String, tensor: Tensor)], claimedHeaderLength: UInt64? = nil) throws -> String {
        let path = try temporaryDirectory() + "/weights.safetensors"
        try SafeTensorsWriter.write(tensors, to: path, claimedHeaderLength: claimedHeaderLength)
        return path
    }

    private var lenetTensors: [(name: String, tensor: Tensor)] {
        get throws { try Self.parameters.get().sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    /// The conversion is deterministic: each format gives exactly the shipped file.
    @Test func everySourceFormatGivesTheShippedFile() throws {
        let graph = try PretrainedZoo(directory: ScratchZoo.repositoryZoo, cache: "/nonexistent").load("lenet5").graph
        let onnx = try temporaryDirectory() + "/lenet5.onnx"
        try ONNXModel(graph: graph).write(to: onnx)
        for source in [onnx, try safetensors(try lenetTensors), ScratchZoo.shipped("lenet5")] {
            let scratch = try ScratchZoo()
            let (file, outcome) = try scratch.zoo.fetch("lenet5", from: source)
            #expect(outcome == .converted(source: source, ignored: []))
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(contentsOf: URL(fileURLWithPath: ScratchZoo.shipped("lenet5"))))
        }
    }

    /// Only the tensors the manifest names are dropped, and each is reported.
    @Test func ignoredTensorsAreDroppedAndReported() throws {
        let scratch = try ScratchZoo(variant: ["source": ["origin": "a test", "conversion": "by name",
                                                          "ignored_tensors": ["step": "the optimiser's step counter"]]])
        let step = (name: "step", tensor: Tensor(scalar: Int64(42)))
        let source = try safetensors(try lenetTensors + [step])
        let (_, outcome) = try scratch.zoo.fetch("lenet5", from: source)
        #expect(outcome == .converted(source: source, ignored: ["step (int64[]): the optimiser's step counter"]))
    }

    @Test func anUnexpectedTensorIsRefused() throws {
        let scratch = try ScratchZoo()
        let source = try safetensors(try lenetTensors + [(name: "step", tensor: Tensor(scalar: Int64(42)))])
        #expect(throws: PretrainedError.weights(.parametersDoNotMatch(file: source, mismatches: [.unexpected(name: "step", dtype: .int64, shape: [])]))) {
            try scratch.zoo.fetch("lenet5", from: source)
        }
        try expectEmptyCache(scratch)
    }

    @Test func wrongShapesAndDTypesAreListedTogether() throws {
        var tensors = try lenetTensors
        let bias = tensors.firstIndex { $0.name == "features.0.bias" }!
        tensors[bias].tensor = try Tensor(zeros: [7])
        let weight = tensors.firstIndex { $0.name == "classifier.4.weight" }!
        tensors[weight].tensor = try Tensor(zeros: [10, 84], dtype: .int32)
        tensors.removeAll { $0.name == "features.3.bias" }
        let scratch = try ScratchZoo()
        let source = try safetensors(tensors)
        #expect(throws: PretrainedError.weights(.parametersDoNotMatch(file: source, mismatches: [
            .wrongShape(name: "features.0.bias", expected: [6], actual: [7]),
            .missing(name: "features.3.bias", dtype: .float32, shape: [16]),
            .wrongDType(name: "classifier.4.weight", expected: .float32, actual: .int32),
        ]))) {
            try scratch.zoo.fetch("lenet5", from: source)
        }
        try expectEmptyCache(scratch)
    }

    @Test func aSafeTensorsHeaderClaimingMoreBytesThanTheFileIsRefused() throws {
        let scratch = try ScratchZoo()
        let source = try safetensors(try lenetTensors, claimedHeaderLength: 10_000_000)
        #expect(throws: PretrainedError.self) { try scratch.zoo.fetch("lenet5", from: source) }
        do { try scratch.zoo.fetch("lenet5", from: source) } catch {
            let size = try FileManager.default.attributesOfItem(atPath: source)[.size] as! Int
            #expect(error.description == "\(source): invalid safetensors header: the header length 10000000 runs past the end of the file (\(size) bytes)")
        }
        try expectEmptyCache(scratch)
    }

    @Test func aTruncatedSafeTensorsFileIsRefused() throws {
        let scratch = try ScratchZoo()
        let source = try safetensors(try lenetTensors)
        try Data(try Data(contentsOf: URL(fileURLWithPath: source)).dropLast(1000)).write(to: URL(fileURLWithPath: source))
        #expect(throws: PretrainedError.self) { try scratch.zoo.fetch("lenet5", from: source) }
        do { try scratch.zoo.fetch("lenet5", from: source) } catch {
            #expect(error.description.hasPrefix("\(source): tensor '"))
            #expect(error.description.contains("] do not lie within the ") && error.description.hasSuffix("-byte data region"))
        }
        try expectEmptyCache(scratch)
    }

    @Test func aTruncatedHDF5FileIsRefused() throws {
        let scratch = try ScratchZoo()
        let source = try temporaryDirectory() + "/truncated.h5"
        try Data(try Data(contentsOf: URL(fileURLWithPath: ScratchZoo.shipped("lenet5"))).prefix(100_000)).write(to: URL(fileURLWithPath: source))
        #expect(throws: PretrainedError.self) { try scratch.zoo.fetch("lenet5", from: source) }
        do { try scratch.zoo.fetch("lenet5", from: source) } catch {
            #expect(error.description.hasPrefix("\(source): "))
        }
        try expectEmptyCache(scratch)
    }

    /// One flipped bit in a dataset's data: its recorded SHA-256 catches it, and the good file
    /// already in the cache stays.
    @Test func aCorruptedHDF5DatasetIsRefusedAndTheCachedFileStays() throws {
        let scratch = try ScratchZoo()
        try scratch.zoo.fetch("lenet5", from: ScratchZoo.shipped("lenet5"))
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ScratchZoo.shipped("lenet5"))))
        let weights = try Self.parameters.get()["classifier.0.weight"]!.withUnsafeBytes { [UInt8]($0) }
        let offset = try #require(bytes.indices.first { bytes[$0..<min($0 + 64, bytes.count)].elementsEqual(weights.prefix(64)) })
        bytes[offset + 1000] ^= 1
        let source = try temporaryDirectory() + "/corrupt.h5"
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        #expect(throws: PretrainedError.self) { try scratch.zoo.fetch("lenet5", from: source) }
        do { try scratch.zoo.fetch("lenet5", from: source) } catch {
            #expect(error.description.hasPrefix("\(source): dataset '/classifier/0/weight' is corrupt: its SHA-256 is "))
        }
        #expect(try scratch.zoo.fetch("lenet5").outcome == .cached)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.zoo.cache + "/lenet5") == ["weights.h5"])
    }

    /// Weights that convert cleanly but are not the manifest's (other values) never enter the cache.
    @Test func otherWeightsAreNotTheManifests() throws {
        let scratch = try ScratchZoo()
        var tensors = try lenetTensors
        tensors[0].tensor = try Tensor(zeros: tensors[0].tensor.shape)
        let source = try safetensors(tensors)
        do {
            try scratch.zoo.fetch("lenet5", from: source)
            Issue.record("other weights were accepted")
        } catch {
            guard case .checksumMismatch(let file, "lenet5", _, _) = error else { throw error }
            #expect(file.hasPrefix(scratch.zoo.cache + "/lenet5/.weights.h5.") && file.hasSuffix(".incoming"))
        }
        try expectEmptyCache(scratch)
    }

    @Test func anUnknownFormatIsRefused() throws {
        let scratch = try ScratchZoo()
        #expect(throws: PretrainedError.unsupportedSource(file: "weights.npz")) { try scratch.zoo.fetch("lenet5", from: "weights.npz") }
    }

    /// Nothing was installed and no staging file was left behind.
    private func expectEmptyCache(_ scratch: ScratchZoo) throws {
        let folder = scratch.zoo.cache + "/lenet5"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []) == [])
    }
}
