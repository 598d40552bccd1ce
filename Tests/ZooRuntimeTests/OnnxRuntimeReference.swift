import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// onnxruntime as the reference: the graph is exported with ZooONNX, inputs go through
/// .npy files, and Tests/interop/ort_run.py writes the outputs back. `evaluator` selects
/// onnx's ReferenceEvaluator for variants onnxruntime refuses.
enum OnnxRuntimeReference {
    enum Evaluator: Sendable { case onnxruntime, onnxReference }

    static func run(_ graph: Graph, _ inputs: [String: Tensor], evaluator: Evaluator = .onnxruntime,
                    opset: Int = ONNXModel.defaultOpset) throws -> [String: Tensor] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = directory + "/model.onnx"
        try ONNXModel(graph: graph, opsetVersion: opset).write(to: model)
        var arguments = (evaluator == .onnxReference ? ["--reference"] : []) + [model, directory]
        for (index, (name, tensor)) in inputs.sorted(by: { $0.key < $1.key }).enumerated() {
            let path = directory + "/input_\(index).npy"
            try NPYFile.write(tensor, to: path)
            arguments.append("\(name)=\(path)")
        }
        let names = try Python.json([String].self, script: "ort_run.py", arguments)
        var outputs: [String: Tensor] = [:]
        for (index, name) in names.enumerated() {
            outputs[name] = try NPYFile.read(from: directory + "/output_\(index).npy")
        }
        return outputs
    }
}

/// Every output of `actual` matches `reference` within `tolerance` (see Tolerance).
func expectClose(_ actual: [String: Tensor], _ reference: [String: Tensor], _ label: String = "",
                 tolerance: Tolerance = .float32, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Set(actual.keys) == Set(reference.keys), "\(label): output names", sourceLocation: sourceLocation)
    for (name, expected) in reference {
        guard let found = actual[name] else { continue }
        let mismatch = found.mismatch(against: expected, tolerance)
        #expect(mismatch == nil, "\(label) '\(name)' (\(tolerance)): \(mismatch?.description ?? "")", sourceLocation: sourceLocation)
    }
}

/// Runs `graph` in a Session and in onnxruntime on the same inputs and compares.
func expectMatchesOnnxRuntime(_ graph: Graph, _ inputs: [String: Tensor], options: SessionOptions = SessionOptions(),
                              evaluator: OnnxRuntimeReference.Evaluator = .onnxruntime, tolerance: Tolerance = .float32,
                              opset: Int = ONNXModel.defaultOpset, _ label: String = "",
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
    let ours = try Session(graph: graph, options: options).run(inputs)
    let reference = try OnnxRuntimeReference.run(graph, inputs, evaluator: evaluator, opset: opset)
    expectClose(ours, reference, label.isEmpty ? graph.name : label, tolerance: tolerance, sourceLocation: sourceLocation)
}

/// A one-node graph: `operands` become graph inputs (`.input`) or parameters (`.constant`).
enum Operand {
    case input(Tensor)
    case constant(Tensor)
    case absent
}

func singleNodeGraph(_ op: Op, _ operands: [Operand], outputCount: Int = 1, name: String = "case") throws
    -> (graph: Graph, inputs: [String: Tensor])
{
    var builder = GraphBuilder(name: name)
    var values: [GraphBuilder.Value?] = []
    var inputs: [String: Tensor] = [:]
    for (index, operand) in operands.enumerated() {
        switch operand {
        case .input(let tensor):
            values.append(try builder.input("x\(index)", TensorType(tensor.dtype, tensor.shape.map(Dim.fixed))))
            inputs["x\(index)"] = tensor
        case .constant(let tensor):
            values.append(try builder.parameter("c\(index)", tensor))
        case .absent:
            values.append(nil)
        }
    }
    for output in try builder.add(op, values, name: "node", outputCount: outputCount) { try builder.output(output) }
    return (try builder.build(), inputs)
}

func random(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) throws -> Tensor {
    try Tensor.random(shape: shape, distribution: .uniform(low: low, high: high), seed: seed)
}

func int64s(_ values: [Int], shape: [Int]? = nil) throws -> Tensor {
    try Tensor(shape: shape ?? [values.count], scalars: values.map { Int64($0) })
}

func floats(_ values: [Float], shape: [Int]) throws -> Tensor {
    try Tensor(shape: shape, scalars: values)
}
