import Foundation
import Testing
import ZooBlocks
import ZooGraph
import ZooONNX
import ZooTensor
import ZooTestSupport

/// Scan with its body as a GRAPH attribute: the projected LSTM exported, checked by the
/// onnx package, run by onnxruntime against numpy, read back; Scans written by the onnx
/// package read in; broken and hostile subgraphs refused with clear errors.
@Suite struct ScanInteropTests {
    static let cellClip: Float = 0.5, projectionClip: Float = 0.25

    /// One bidirectional projected LSTM layer, input 5, hidden 6, projection 4, over a
    /// symbolic `[seq, batch]`: seeded weights, random biases, and clips low enough to bite.
    static func projectedLSTM() throws -> Graph {
        var tracer = Tracer(graphName: "lstmp", initialization: .seeded(7))
        let x = try tracer.input("x", TensorType(.float32, ["seq", "batch", 5]))
        let lstm = LSTM(hiddenSize: 6, bidirectional: true, projectionSize: 4, cellClip: cellClip, projectionClip: projectionClip)
        try tracer.output(try lstm(x, &tracer, at: "rnn"), as: "y")
        var graph = try tracer.build()
        for (index, initializer) in graph.initializers.enumerated() where initializer.name.hasSuffix(".B") {
            graph.initializers[index].tensor = try Tensor.random(
                shape: initializer.tensor.shape, distribution: .uniform(low: -0.5, high: 0.5), seed: UInt64(index))
        }
        return graph
    }

    @Test func projectedLSTMSurvivesWriteAndRead() throws {
        let model = ONNXModel(graph: try Self.projectedLSTM())
        let parsed = try ONNXModel(serialized: try model.serialized())
        #expect(parsed == model)
        guard case .scan(let attributes) = parsed.graph.nodes.first(where: { $0.name == "rnn.0.reverse" })?.op else {
            Issue.record("no Scan named rnn.0.reverse")
            return
        }
        #expect(attributes.scanInputDirections == [1])
        #expect(attributes.body.inputs.map(\.type.dims) == [["batch", 4], ["batch", 6], ["batch", 5]])
    }

    /// onnx.checker (full check) and onnx's strict shape inference accept the file and agree
    /// with our types, symbolic `seq` and `batch` included; onnxruntime runs it.
    @Test func onnxCheckerAndShapeInferenceAcceptTheScans() throws {
        let graph = try Self.projectedLSTM()
        let path = try temporaryDirectory() + "/lstmp.onnx"
        try ONNXModel(graph: graph).write(to: path)
        let report = try Python.json(OnnxCheckReport.self, script: "onnx_check.py", [path, "seq=7", "batch=3"])
        #expect(report.output_shapes == [[7, 3, 8]])
        let ours = try graph.valueTypes()
        for scan in ["rnn.0.forward", "rnn.0.reverse"] {
            let theirs = try #require(report.types["\(scan):2"], "onnx inferred no type for \(scan):2")
            #expect(theirs.dims == [.param("seq"), .param("batch"), .value(4)])
            #expect(ours["\(scan):2"] == TensorType(.float32, ["seq", "batch", 4]))
        }
        #expect(report.types["y"]?.dims == [.param("seq"), .param("batch"), .value(8)])
    }

    /// onnxruntime's output equals a numpy LSTMP written from the equations (ONNX gate order
    /// i, o, f, c), with the weights read from the file, in float32 and element by element
    /// within fp32 tolerance (|error| ≤ 1e-5 + 1e-4·|reference|); both clips
    /// take effect somewhere but not everywhere.
    @Test func onnxRuntimeMatchesANumpyReference() throws {
        struct Report: Decodable {
            let output_shape: [Int]
            let output_dtype: String
            let max_abs_error: Double
            let max_abs_reference: Double
            let within_tolerance: Bool
            let cell_clipped: Int
            let projection_clipped: Int
            let elements: Int
        }
        let path = try temporaryDirectory() + "/lstmp.onnx"
        try ONNXModel(graph: try Self.projectedLSTM()).write(to: path)
        let report = try Python.json(Report.self, script: "lstmp_reference.py", [
            path, "rnn.0", "7", "3", "--bidirectional",
            "--cell-clip", "\(Self.cellClip)", "--projection-clip", "\(Self.projectionClip)"])
        #expect(report.output_shape == [7, 3, 8])
        #expect(report.output_dtype == "float32")
        #expect(report.within_tolerance, "max error \(report.max_abs_error), max |reference| \(report.max_abs_reference)")
        #expect(report.max_abs_reference > 0.05)
        #expect((1..<7 * 3 * 6 * 2).contains(report.cell_clipped))
        #expect((1..<report.elements).contains(report.projection_clipped))
    }

    @Test func scansWrittenByTheOnnxPackageImport() throws {
        let directory = try Self.fixtures()
        let model = try ONNXModel.read(from: directory + "/running_sum.onnx")
        let scan = try #require(model.graph.nodes.first)
        #expect(scan.implicitInputs == ["w"])
        #expect(scan.op == .scan(ScanAttributes(body: scan.op.subgraphs[0], scanInputCount: 1,
                                                scanInputDirections: [1], scanOutputDirections: [1])))
        #expect(try model.graph.valueTypes()["y"] == TensorType(.float32, ["seq", "batch", 2]))
        #expect(try ONNXModel.read(from: directory + "/nested_16.onnx").graph.nodes.count == 1)
    }

    /// The onnx package's own Scan and Clip node tests: each imports, and our shape inference
    /// gives the shapes of its reference outputs. Scan-8 (a batch axis and sequence_lens,
    /// another semantics) is refused.
    @Test func onnxBackendNodeTestsImportWithTheirOutputShapes() throws {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "node_suite.py", ["generate", directory, "--ops", "Scan", "Clip"])
        let cases = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("test_") }.sorted()
        #expect(cases.filter { $0.hasPrefix("test_scan") }.count == 4)
        for name in cases {
            let path = "\(directory)/\(name)"
            guard name != "test_scan_sum" else {
                #expect(throws: ONNXError.self) { try ONNXModel.read(from: path + "/model.onnx") }
                continue
            }
            let graph = try ONNXModel.read(from: path + "/model.onnx").graph
            let types = try graph.valueTypes()
            for (index, output) in graph.outputs.enumerated() {
                let expected = try ONNXTensorFile.read(from: "\(path)/test_data_set_0/output_\(index).pb").tensor
                #expect(types[output.name]?.staticShape == expected.shape, "\(name): \(output.name)")
                #expect(types[output.name]?.dtype == expected.dtype, "\(name): \(output.name)")
            }
        }
    }

    @Test func brokenAndHostileSubgraphsGiveClearErrors() throws {
        let directory = try Self.fixtures()
        let expected: [String: String] = [
            "missing_body.onnx": "1 unsupported node:\n  node 'scan': Scan (opset 17): required attribute 'body' is missing",
            "opset_8.onnx": "1 unsupported node:\n  node 'scan': Scan (opset 8): Scan before opset 9 (with a batch axis and sequence_lens) is not supported",
            "unsupported_body_node.onnx": "1 unsupported node:\n  node 'scan': Scan (opset 17): attribute 'body': node 'weighted': StringNormalizer (opset 17): operator is not supported",
            "undefined_outer_value.onnx": "node 'scan' reads 'ghost', which no input, initializer or node defines",
            "nested_17.onnx": "1 unsupported node:\n  node 'scan': Scan (opset 17): "
                + String(repeating: "attribute 'body': node 'scan': Scan (opset 17): ", count: 16)
                + "subgraphs nest more than 16 levels deep",
            "nested_100000.onnx": "not a valid ONNX model: messages nest more than 100 levels deep",
        ]
        for (file, message) in expected.sorted(by: { $0.key < $1.key }) {
            let path = directory + "/" + file
            #expect(throws: (any Error).self, "\(file) must be rejected") { try ONNXModel.read(from: path) }
            do { _ = try ONNXModel.read(from: path) } catch {
                #expect("\(error)" == "\(path): \(message)", "\(file)")
            }
        }
    }

    /// The mutation loop of ONNXBadInputTests on a file whose Scans hold their bodies.
    @Test func mutatedScanFilesNeverCrash() throws {
        let original = try ONNXModel(graph: try Self.projectedLSTM()).serialized()
        var generator = SplitMix64(seed: 2027)
        var rejected = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] ^= UInt8(1 << (generator.next() % 8))
            }
            do { _ = try ONNXModel(serialized: bytes, file: "mutant.onnx") } catch { rejected += 1 }
        }
        #expect(rejected > 500)
    }

    private static func fixtures() throws -> String {
        let directory = try temporaryDirectory()
        _ = try Python.run(script: "make_scan_fixtures.py", [directory])
        return directory
    }
}
