import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The ONNX backend conformance node tests (generated from the installed onnx package's own
/// test cases by Tests/interop/generate_node_tests.py; onnx is pinned in scripts/setup.sh),
/// for the operators we claim, run through our importer and executor. A case may be
/// refused only for a stated reason: the importer's or the executor's "not supported" for a
/// variant we do not implement (an attribute value, a dtype, an input count). Any other
/// error importing, compiling or running it fails the test, as does an output that differs
/// from the reference in dtype, shape or, element by element, beyond the suite's own
/// tolerance (rtol 1e-3, atol 1e-7).
@Suite struct BackendNodeTests {
    /// The operator types the IR claims.
    static let operators = [
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LRN", "BatchNormalization",
        "LayerNormalization", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Relu", "Sigmoid", "Tanh", "Erf",
        "Sqrt", "Exp", "Neg", "Where", "Equal", "Cast", "Softmax", "Concat", "Reshape", "Flatten", "Transpose", "Gather",
        "Unsqueeze", "Squeeze", "Shape", "Slice", "Expand", "Constant", "ConstantOfShape", "Identity", "Dropout",
        "ReduceMax", "ReduceMean", "LSTM", "GreaterOrEqual", "Max", "And", "IsNaN", "GatherND", "Range", "Gelu",
        "Clip", "Scan",
        // Elementwise family
        "Abs", "Ceil", "Floor", "Round", "Sign", "Reciprocal", "Log", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh",
        "Cosh", "Asinh", "Acosh", "Atanh", "Not", "BitwiseNot", "IsInf", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid",
        "HardSwish", "Mish", "Softplus", "Softsign", "ThresholdedRelu", "Shrink", "Mod", "BitShift", "BitwiseAnd",
        "BitwiseOr", "BitwiseXor", "Or", "Xor", "Greater", "Less", "LessOrEqual", "PRelu", "Sum", "Mean", "Min", "CastLike",
    ]

    enum Outcome: Equatable {
        case passed, refused(String), failed(String)
    }

    @Test func everyRunnableCasePasses() throws {
        let directory = try temporaryDirectory()
        let written = try Python.run(script: "generate_node_tests.py", [directory] + Self.operators)
        let cases = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) == cases.count)

        var outcomes: [String: Outcome] = [:]
        for name in cases { outcomes[name] = run(case: directory + "/" + name) }
        let passed = outcomes.values.filter { $0 == .passed }.count
        let refusals = outcomes.values.compactMap { outcome -> String? in if case .refused(let reason) = outcome { reason } else { nil } }
        let failed = outcomes.compactMap { name, outcome -> (String, String)? in
            if case .failed(let reason) = outcome { (name, reason) } else { nil }
        }.sorted { $0.0 < $1.0 }
        print("ONNX backend node tests: \(passed) passed, \(failed.count) failed, \(refusals.count) refused of \(cases.count)")
        for (name, reason) in failed { Issue.record("\(name): \(reason)") }
        let reasons = Dictionary(grouping: refusals, by: { $0 }).mapValues(\.count).sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        for (reason, count) in reasons { print("  refused ×\(count): \(reason)") }
        // 521 with the pinned onnx 1.23.2: bumping onnx may add cases, never lose passes.
        #expect(passed >= 521)
    }

    /// The reason a case is refused, when the error is one that states a variant we do not
    /// implement; nil for any other error, which fails the case. Node names and paths are
    /// left out, so that equal reasons group.
    static func statedRefusal(_ error: any Error) -> String? {
        switch error {
        case ONNXError.unsupported(_, let problems) where problems.allSatisfy({ isStatedLimitation($0.reason) }):
            return problems.map { "\($0.op) (opset \($0.opset)): \($0.reason)" }.joined(separator: "; ")
        case ONNXError.malformed(_, let reason) where reason.contains("has unsupported type"):
            return "a graph input or output of a type we do not hold: " + (reason.components(separatedBy: "has unsupported type ").last ?? "")
        case ONNXError.invalidGraph(_, let graphError), RuntimeError.invalidGraph(let graphError):
            return statedRefusal(graphError)
        case RuntimeError.unsupported(_, let op, let reason):
            return "\(op): no kernel: \(reason)"
        default:
            return nil
        }
    }

    /// What the importer says of an operator variant it does not implement (an attribute
    /// value, an input count, axes given at run time).
    static func isStatedLimitation(_ reason: String) -> Bool {
        reason.hasSuffix("not supported") || reason.hasSuffix("only of two") || reason.hasSuffix("must be a constant")
    }

    /// Shape inference's refusals of variants: an input dtype the op's kernels do not take,
    /// a shape input known only at run time, or optional outputs (LayerNormalization's mean
    /// and inverse deviation, MaxPool's indices) that we do not produce.
    static func statedRefusal(_ error: GraphError) -> String? {
        switch error {
        case .dtype(_, let op, _, let expected, let actual): "\(op): input must be \(expected), got \(actual)"
        case .nonConstantInput(_, let op, _, let role): "\(op): run-time \(role)"
        case .outputCount(_, let op, let expected, let actual) where actual > expected.upperBound:
            "\(op): \(actual) outputs, of which we produce \(expected.upperBound)"
        default: nil
        }
    }

    /// Imports, compiles and runs one case directory against every data set in it.
    func run(case path: String) -> Outcome {
        let graph: Graph
        let session: Session
        do {
            graph = try ONNXModel.read(from: path + "/model.onnx").graph
            session = try Session(graph: graph, options: SessionOptions(threads: 2))
        } catch {
            return Self.statedRefusal(error).map(Outcome.refused) ?? .failed("import or compile: \(error)")
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
            } catch {
                return Self.statedRefusal(error).map(Outcome.refused) ?? .failed("\(dataSet): \(error)")
            }
        }
        return .passed
    }
}
