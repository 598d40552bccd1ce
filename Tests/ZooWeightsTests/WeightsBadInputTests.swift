import Foundation
import Testing
import ZooIO
import ZooTensor
import ZooTestSupport
import ZooWeights

/// Truncated, corrupted and hostile files give errors naming the file and dataset, never a
/// crash or an allocation the file's size does not justify.
@Suite struct WeightsBadInputTests {
    @Test func filesThatAreNotWeights() throws {
        let directory = try temporaryDirectory()
        let text = directory + "/notes.h5"
        try AtomicFile.write(Array("these are not weights\n".utf8), to: text)
        #expect(throws: WeightsError.hdf5(file: text, context: "cannot open the file as HDF5", message: "file signature not found")) {
            try WeightsFile.load(text)
        }
        let missing = directory + "/missing.h5"
        #expect(throws: WeightsError.file(FileError(path: missing, reason: "No such file or directory"))) {
            try WeightsFile.load(missing)
        }
        #expect(throws: WeightsError.file(FileError(path: directory, reason: "not a regular file"))) {
            try WeightsFile.load(directory)
        }
    }

    @Test func truncatedFilesAreRefused() throws {
        let path = try SampleWeights.saved()
        let bytes = try FileReader.readAll(path, limit: 1 << 20)
        let cut = URL(fileURLWithPath: path).deletingLastPathComponent().path + "/cut.h5"
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 61)) {
            try AtomicFile.write(Array(bytes[..<length]), to: cut)
            #expect(throws: WeightsError.self, "cut at \(length) of \(bytes.count) bytes") { try WeightsFile.load(cut) }
        }
        try AtomicFile.write(Array(bytes[..<(bytes.count / 2)]), to: cut)
        #expect {
            try WeightsFile.load(cut)
        } throws: { error in
            guard case .hdf5(cut, "cannot open the file as HDF5", let message) = error as? WeightsError else { return false }
            return message.hasPrefix("truncated file: eof = \(bytes.count / 2)")
        }
    }

    /// A flipped bit in a dataset's data leaves a valid HDF5 file; only the checksum sees it.
    @Test func aFlippedBitInTheDataFailsTheChecksum() throws {
        let path = try SampleWeights.saved()
        var bytes = try FileReader.readAll(path, limit: 1 << 20)
        let weight = try #require(try SampleWeights.parameters().first { $0.name == "classifier.weight" }).tensor
        let firstBytes = weight.withUnsafeBytes { Array($0.prefix(16)) }
        let offset = try #require(bytes.indices.first { bytes[$0..<min($0 + 16, bytes.count)].elementsEqual(firstBytes) })
        bytes[offset + 5] ^= 0x10
        try AtomicFile.write(bytes, to: path)

        #expect {
            try WeightsFile.load(path)
        } throws: { error in
            guard case .checksumMismatch(path, "/classifier/weight", let expected, let actual) = error as? WeightsError else { return false }
            return expected == weight.withUnsafeBytes { SHA256.hexDigest(of: $0) } && actual != expected
        }
        let unchecked = try WeightsFile.load(path, options: WeightsLoadOptions(verifyChecksums: false)).parameters
        #expect(unchecked["classifier.weight"] != weight)
    }

    /// Hand-made hostile files (Tests/interop/make_hostile_h5.py), each with the error it must give.
    @Test func hostileCorpusGivesClearErrors() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_hostile_h5.py", [directory])
        let supported = "supported: float32, float16, bfloat16, float64, int64, int32, int16, int8, uint64, uint32, uint16, uint8, bool"
        let expected: [String: String] = [
            "complex_dataset.h5": "tensor '/fc/weight': elements are compound; \(supported)",
            "string_dataset.h5": "tensor '/vocab': elements are string; \(supported)",
            "petabyte_shape.h5": "tensor '/fc/weight': tensor float32[4611686018427387904] needs 9223372036854775807 bytes, more than the \(TensorStorage.maximumByteCount) bytes allowed",
            "unwritten_chunks.h5": "tensor '/fc/weight': has 0 of its 4 chunks written",
            "unwritten_contiguous.h5": "tensor '/fc/weight': has no data written",
            "null_dataspace.h5": "tensor '/fc/weight': has no shape (an HDF5 null dataspace)",
            "external_storage.h5": "tensor '/fc/weight': keeps its data in external files",
            "bool_not_0_or_1.h5": "tensor '/attention/mask': bool element 1 is stored as 5, not 0 or 1",
            "dotted_group.h5": "tensor '/layer1.0/weight': a group or dataset name contains '.', which the layout reserves for parameter names",
            "dtype_disagrees.h5": "tensor '/fc/weight': stored as float32, but the file's dtype attribute says float16",
            "wrong_checksum.h5": "dataset '/fc/weight' is corrupt: its SHA-256 is \(Self.sha256OfFourOnes), the file records \(String(repeating: "0", count: 64))",
            "no_format.h5": "not a ModelZoo weights file: the root has no 'format' attribute",
            "foreign_format.h5": "not a ModelZoo weights file: the root attribute 'format' is 'keras', expected 'modelzoo-weights'",
            "newer_version.h5": "not a ModelZoo weights file: format version 2 is not 1, the version this ModelZoo reads",
            "version_as_text.h5": "not a ModelZoo weights file: attribute 'format_version' is a string, expected an integer",
            "integer_dtype.h5": "not a ModelZoo weights file: the root attribute 'dtype' is 'int32', expected float32, float16, bfloat16 or float64",
            "virtual_dataset.h5": "tensor '/fc/weight': is a virtual dataset, which reads other files",
            "past_end.h5": "tensor '/fc/weight': its 262144 bytes at offset 8192 run past the end of the file (139264 bytes)",
        ]
        for (file, message) in expected.sorted(by: { $0.key < $1.key }) {
            let path = "\(directory)/\(file)"
            #expect(throws: WeightsError.self, "\(file)") { try WeightsFile.load(path) }
            do {
                _ = try WeightsFile.load(path)
            } catch {
                #expect(error.description == "\(path): \(message)")
            }
        }
    }

    static func isContentRefusal(_ error: WeightsError) -> Bool {
        switch error {
        case .hdf5, .notWeightsFile, .invalidTensor, .checksumMismatch, .invalidForeignFile: true
        case .file, .invalidHeader, .invalidInput, .parametersDoNotMatch, .digestUnavailable: false
        // PyTorch checkpoints
        case .unreadableCheckpoint: false
        }
    }

    /// SHA-256 of four float32 ones, as `make_hostile_h5.py` stores them.
    static let sha256OfFourOnes: String = {
        let ones = [Float](repeating: 1, count: 4)
        return ones.withUnsafeBytes { SHA256.hexDigest(of: $0) } ?? "(OpenSSL gave no digest)"
    }()

    /// A seeded mutation loop over a small file: metadata is checksummed by the HDF5 1.8
    /// format and data by SHA-256, so a mutant either is refused for its content (HDF5's own
    /// error, not a weights file, an invalid tensor, a checksum), naming the file, or (when
    /// only unused bytes changed) loads exactly the original.
    @Test func mutatedFilesAreRejectedOrIntact() throws {
        let path = try SampleWeights.saved()
        let original = try FileReader.readAll(path, limit: 1 << 20)
        let expected = try WeightsFile.load(path)
        let mutant = URL(fileURLWithPath: path).deletingLastPathComponent().path + "/mutant.h5"
        var generator = SplitMix64(seed: 2026)
        var rejected = 0
        let mutantCount = 400
        for _ in 0..<mutantCount {
            var bytes = original
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] ^= UInt8(1 << (generator.next() % 8))
                case 1: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                default: bytes[position] = 0xFF
                }
            }
            try AtomicFile.write(bytes, to: mutant)
            do {
                let loaded = try WeightsFile.load(mutant)
                #expect(loaded.metadata == expected.metadata)
                #expect(loaded.parameters == expected.parameters)
            } catch {
                rejected += 1
                #expect(Self.isContentRefusal(error) && error.description.hasPrefix(mutant + ": "),
                        "refused for a reason that is not its content: \(error)")
            }
        }
        #expect(rejected > mutantCount * 9 / 10)
    }
}
