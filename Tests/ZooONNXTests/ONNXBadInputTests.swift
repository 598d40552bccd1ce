import Foundation
import Testing
import ZooGraph
import ZooIO
import ZooONNX
import ZooTensor
import ZooTestSupport

/// Truncated, corrupted and hostile files give errors, never crashes or huge allocations.
@Suite struct ONNXBadInputTests {
    @Test func truncatedFilesAreMalformed() throws {
        let bytes = try ONNXModel(graph: try SampleGraphs.convolutional()).serialized()
        for length in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 97)) {
            #expect(throws: ONNXError.self) { try ONNXModel(serialized: Array(bytes[..<length]), file: "cut.onnx") }
        }
    }

    @Test func notProtobufAtAll() {
        #expect(throws: ONNXError.malformed(file: "x.onnx", reason: "the protobuf data is truncated or corrupt (11 bytes)")) {
            try ONNXModel(serialized: Array("hello world".utf8), file: "x.onnx")
        }
        #expect(throws: ONNXError.malformed(file: "empty.onnx", reason: "the model has no graph")) {
            try ONNXModel(serialized: [], file: "empty.onnx")
        }
    }

    /// A seeded mutation loop: flip, overwrite and splice bytes of a valid file. A mutant
    /// is refused for what is wrong with its content (malformed protobuf, an invalid tensor,
    /// an unsupported node, an invalid graph), with the file's name in the message; or it
    /// parses to a graph that passes validation and shape inference on its own and whose
    /// export reads back to the same bytes (bytes, not graphs: a mutated float attribute may
    /// be NaN, which no graph equals).
    @Test func mutatedFilesAreRefusedOrValid() throws {
        let original = try ONNXModel(graph: try SampleGraphs.sequence()).serialized()
        var generator = SplitMix64(seed: 2026)
        var refusals: [String: Int] = [:]
        for attempt in 0..<3000 {
            var bytes = original
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] ^= UInt8(1 << (generator.next() % 8))
                case 1: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                default: bytes[position] = 0xFF  // large varints: lengths and dims near 2^63
                }
            }
            let model: ONNXModel
            do {
                model = try ONNXModel(serialized: bytes, file: "mutant.onnx")
            } catch {
                refusals[Self.contentRefusal(error) ?? "other", default: 0] += 1
                #expect(Self.contentRefusal(error) != nil && error.description.hasPrefix("mutant.onnx: "),
                        "mutant \(attempt) refused for a reason that is not its content: \(error)")
                continue
            }
            #expect(throws: Never.self, "mutant \(attempt) parsed but is not a valid graph") { try model.graph.valueTypes() }
            let exported = try model.serialized()
            #expect(try ONNXModel(serialized: exported, file: "reexported.onnx").serialized() == exported,
                    "mutant \(attempt) changed in an export round trip")
        }
        #expect(refusals.values.reduce(0, +) > 1000, "\(refusals)")
        #expect(refusals["other"] == nil)
    }

    /// The kind of a refusal for a file's content, nil for any other error.
    static func contentRefusal(_ error: ONNXError) -> String? {
        switch error {
        case .malformed: "malformed"
        case .invalidTensor: "invalid tensor"
        case .unsupported: "unsupported"
        case .invalidGraph: "invalid graph"
        case .file, .exportFailed: nil
        }
    }

    /// Hand-made hostile files (Tests/interop/make_hostile_onnx.py), each with the error it must give.
    @Test func hostileCorpusGivesClearErrors() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_hostile_onnx.py", [directory])
        let expected: [String: String] = [
            "petabyte_tensor.onnx": "tensor 'w': shape [281474976710656, 4] of float32 needs 4503599627370496 bytes, raw_data has 8",
            "negative_dim.onnx": "tensor 'w': tensor shape [-2] has a negative dimension",
            "typed_count_mismatch.onnx": "tensor 'w': shape [3] holds 3 elements, the tensor has 2 values",
            "external_escape.onnx": "tensor 'w': external data location '../../etc/passwd' leaves the model's directory",
            "external_absolute.onnx": "tensor 'w': external data location '/etc/passwd' leaves the model's directory",
            "external_symlink.onnx": "tensor 'w': external data location 'link.bin' leaves the model's directory",
            "external_short.onnx": "tensor 'w': external data 'short.bin' has 4 bytes, the tensor needs bytes 0..<8",
            "external_missing.onnx": "tensor 'w': external data file 'nowhere.bin' is missing: No such file or directory",
            "string_tensor.onnx": "tensor 'w': data type STRING is not supported",
            "no_opset.onnx": "not a valid ONNX model: the model imports no version of the default ONNX opset",
            "negative_input_dim.onnx": "not a valid ONNX model: graph input/output 'x' has the negative dimension -5",
            "subgraph_attribute.onnx": "node 'if' reads 'x', which no input, initializer or node defines",
            "cycle.onnx": "the graph has a cycle through nodes 'a', 'b'",
            "sparse_out_of_range.onnx": "tensor 'w': sparse index 6 is outside the 6 elements of shape [2, 3]",
            "dangling_input.onnx": "node 'relu' reads 'ghost', which no input, initializer or node defines",
        ]
        for (file, message) in expected.sorted(by: { $0.key < $1.key }) {
            let path = directory + "/" + file
            #expect(throws: (any Error).self, "\(file) must be rejected") { try ONNXModel.read(from: path) }
            do { _ = try ONNXModel.read(from: path) } catch {
                #expect("\(error)" == "\(path): \(message)")
            }
        }
    }

    @Test func sparseInitializersBecomeDenseParameters() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_hostile_onnx.py", [directory])
        let graph = try ONNXModel.read(from: directory + "/sparse_valid.onnx").graph
        let weight = try #require(graph.initializerTensors["w"])
        #expect(weight.shape == [2, 3])
        #expect(try weight.scalars(as: Float.self) == [0, 1.5, 0, 0, 0, -2])
    }

    @Test func missingFilesAndDirectoriesNameThePath() {
        #expect(throws: ONNXError.file(FileError(path: "/nonexistent/model.onnx", reason: "No such file or directory"))) {
            try ONNXModel.read(from: "/nonexistent/model.onnx")
        }
    }

    @Test func aFailedExportKeepsTheExistingFile() throws {
        let path = try temporaryDirectory() + "/model.onnx"
        try ONNXModel(graph: try SampleGraphs.convolutional()).write(to: path)
        let before = try FileReader.readAll(path, limit: 1 << 30)
        let broken = Graph(name: "broken", outputs: [ValueInfo(name: "nothing", type: TensorType(.float32, [1]))])
        #expect(throws: ONNXError.exportFailed(reason: "graph output 'nothing' is never defined")) {
            try ONNXModel(graph: broken).write(to: path)
        }
        #expect(try FileReader.readAll(path, limit: 1 << 30) == before)
        #expect(throws: ONNXError.exportFailed(reason: "opset 12 is not supported; choose 13 to 28")) {
            try ONNXModel(graph: try SampleGraphs.convolutional(), opsetVersion: 12).serialized()
        }
    }
}
