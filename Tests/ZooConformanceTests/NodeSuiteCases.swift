import Foundation
import Testing
import ZooONNX
import ZooRuntime
import ZooTestSupport

/// The installed onnx package's node-test suite, written once per test run by
/// Tests/interop/node_suite.py (about 15 s) and shared by the tests that read it.
enum NodeSuiteCases {
    struct Generated: Sendable {
        /// Holds a directory per case, `cases.tsv` (case, operator, rtol, atol) and
        /// `operators.txt` (every default-domain operator the onnx package defines).
        let directory: String
        let count: Int
    }

    private static let generated = Result { () throws -> Generated in
        let directory = try temporaryDirectory() + "/cases"
        let written = try Python.run(script: "node_suite.py", ["generate", directory])
        guard let count = Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw GenerationFailure(description: "node_suite.py generate printed no case count: \(written)")
        }
        return Generated(directory: directory, count: count)
    }

    struct GenerationFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func get() throws -> Generated { try generated.get() }

    /// (case, operator under test) in the suite's order.
    static func operators() throws -> [(name: String, operator: String)] {
        try String(contentsOfFile: get().directory + "/cases.tsv", encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t").map(String.init)
            return (fields[0], fields[1])
        }
    }

    /// Every case of `operators` that we run is written back by our writer (at the case's
    /// opset, 13 at least), checked by onnx.checker (full check) and run in onnxruntime
    /// (Tests/interop/ort_run_test_data.py), whose outputs must equal the suite's expected
    /// ones (dtype and shape, elements within rtol 1e-3 and `atol` + `atolOfLargest`·max|expected|;
    /// the suite's own tolerance by default). Cases with bfloat16 inputs (onnxruntime's Python
    /// binding takes none) and those in `skipped` are left out. Returns how many cases were checked.
    static func checkReexported(operators: [String], atol: Double = 1e-7, atolOfLargest: Double = 0, skipped: Set<String> = [],
                                sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let directory = try get().directory
        var reexported: [(name: String, source: String, rewritten: String, opset: Int, outputCount: Int, outputs: String)] = []
        for (name, _) in try Self.operators().filter({ operators.contains($0.operator) && !skipped.contains($0.name) }) {
            let source = directory + "/" + name
            // Cases we refuse (run-time sizes) are the node-suite table's business.
            guard let model = try? ONNXModel.read(from: source + "/model.onnx"), (try? Session(graph: model.graph)) != nil else {
                continue
            }
            // onnxruntime's Python binding takes no bfloat16 arrays as inputs.
            guard !model.graph.inputs.contains(where: { $0.type.dtype == .bfloat16 }) else { continue }
            let rewritten = try temporaryDirectory()
            let opset = min(max(model.opsetVersion, ONNXModel.supportedOpsets.lowerBound), ONNXModel.supportedOpsets.upperBound)
            try ONNXModel(graph: model.graph, opsetVersion: opset).write(to: rewritten + "/model.onnx")
            try FileManager.default.createSymbolicLink(atPath: rewritten + "/test_data_set_0",
                                                       withDestinationPath: source + "/test_data_set_0")
            reexported.append((name, source, rewritten, opset, model.graph.outputs.count, try temporaryDirectory()))
        }
        // One onnxruntime process for all cases: starting Python per case cost minutes.
        _ = try Python.run(script: "ort_run_test_data.py", ["--pairs"] + reexported.flatMap { [$0.rewritten, $0.outputs] })
        for (name, source, _, opset, outputCount, outputs) in reexported {
            for index in 0..<outputCount {
                let actual = try ONNXTensorFile.read(from: "\(outputs)/output_\(index).pb").tensor
                let expected = try ONNXTensorFile.read(from: "\(source)/test_data_set_0/output_\(index).pb").tensor
                let largest = atolOfLargest == 0 ? 0 : expected.doubleValues.map(abs).max() ?? 0
                let mismatch = actual.mismatch(against: expected, rtol: 1e-3, atol: atol + atolOfLargest * largest)
                #expect(mismatch == nil, "\(name) re-exported at opset \(opset), output \(index): \(mismatch?.description ?? "")",
                        sourceLocation: sourceLocation)
            }
        }
        return reexported.count
    }
}
