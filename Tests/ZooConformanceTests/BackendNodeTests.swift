import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The ONNX backend conformance node tests (generated from the installed onnx package's own
/// test cases by Tests/interop/generate_node_tests.py), run through our importer and
/// executor. A case whose model we cannot import or compile counts as unsupported (the
/// reasons are printed, grouped); every case we can run must produce the reference outputs
/// within the suite's own tolerance (rtol 1e-3, atol 1e-7).
@Suite struct BackendNodeTests {
    /// The operator types the IR claims.
    static let operators = [
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LRN", "BatchNormalization",
        "LayerNormalization", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Relu", "Sigmoid", "Tanh", "Erf",
        "Sqrt", "Exp", "Neg", "Where", "Equal", "Cast", "Softmax", "Concat", "Reshape", "Flatten", "Transpose", "Gather",
        "Unsqueeze", "Squeeze", "Shape", "Slice", "Expand", "Constant", "ConstantOfShape", "Identity", "Dropout",
        "ReduceMax", "ReduceMean", "LSTM", "GreaterOrEqual", "Max", "And", "IsNaN", "GatherND", "Range", "Gelu",
        "Clip", "Scan",
    ]

    enum Outcome: Equatable {
        case passed, unsupported(String), failed(String)
    }

    @Test func everyRunnableCasePasses() throws {
        let directory = try temporaryDirectory()
        let written = try Python.run(script: "generate_node_tests.py", [directory] + Self.operators)
        let cases = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) == cases.count)

        var outcomes: [String: Outcome] = [:]
        for name in cases { outcomes[name] = run(case: directory + "/" + name) }
        let passed = outcomes.values.filter { $0 == .passed }.count
        let unsupported = outcomes.filter { if case .unsupported = $0.value { true } else { false } }
        let failed = outcomes.compactMap { name, outcome -> (String, String)? in
            if case .failed(let reason) = outcome { (name, reason) } else { nil }
        }.sorted { $0.0 < $1.0 }
        print("ONNX backend node tests: \(passed) passed, \(failed.count) failed, \(unsupported.count) unsupported of \(cases.count)")
        for (name, reason) in failed { Issue.record("\(name): \(reason)") }
        let reasons = Dictionary(grouping: unsupported.values.map { outcome -> String in
            guard case .unsupported(let reason) = outcome else { return "" }
            return String(reason.split(separator: ":").suffix(2).joined(separator: ":").prefix(90))
        }, by: { $0 }).mapValues(\.count).sorted { $0.value > $1.value }
        for (reason, count) in reasons.prefix(40) { print("  unsupported ×\(count):\(reason)") }
        // 188 with onnx 1.23.2: a floor, so that a change that makes cases unsupported shows.
        #expect(passed >= 188)
    }

    /// Imports, compiles and runs one case directory against every data set in it.
    func run(case path: String) -> Outcome {
        let graph: Graph
        let session: Session
        do {
            graph = try ONNXModel.read(from: path + "/model.onnx").graph
            session = try Session(graph: graph, options: SessionOptions(threads: 2))
        } catch {
            return .unsupported("\(error)")
        }
        let dataSets = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("test_data_set_") }
        for dataSet in dataSets.sorted() {
            do {
                var inputs: [String: Tensor] = [:]
                for (index, input) in graph.inputs.enumerated() {
                    inputs[input.name] = try ONNXTensorFile.read(from: "\(path)/\(dataSet)/input_\(index).pb").tensor
                }
                let outputs = try session.run(inputs)
                for (index, output) in graph.outputs.enumerated() {
                    let expected = try ONNXTensorFile.read(from: "\(path)/\(dataSet)/output_\(index).pb").tensor
                    guard let actual = outputs[output.name] else { return .failed("no output '\(output.name)'") }
                    if let mismatch = actual.mismatch(against: expected, rtol: 1e-3, atol: 1e-7) {
                        return .failed("output '\(output.name)' \(actual.dtype)\(actual.shape) vs expected \(expected.dtype)\(expected.shape): \(mismatch)")
                    }
                }
            } catch let error as RuntimeError {
                if case .unsupported = error { return .unsupported("\(error)") }
                return .failed("\(error)")
            } catch {
                return .failed("\(error)")
            }
        }
        return .passed
    }
}
