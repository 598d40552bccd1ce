import Foundation
import Testing
import ZooAnalysis
import ZooGraph
@testable import ZooONNX
import ZooRuntime
import ZooTensor

/// Every operator the importer accepts has all five parts (ARCHITECTURE.md): IR (the
/// imported op's `onnxName` is the operator's), shape inference, a counting rule, export
/// (written and read back, the same ops) and a kernel (a session compiles it). `Op` cases
/// carry attributes and cannot be listed, so the walk starts from the names: every
/// default-domain operator the onnx package defines is offered to the importer, and each
/// one it accepts is checked on the first node-suite case of that operator that imports and
/// compiles: as written, or else with its operands after the first, or all of them, as
/// constants (node_suite.py writes those variants; Reshape's shape or LSTM's weights must be
/// constants here). A new op is covered as soon as the importer accepts it, without an
/// example written by hand.
@Suite struct OperatorCompletenessTests {
    /// Operators the importer writes as a body of other ops, each with the five parts:
    /// Gelu as its function body around Erf, or Tanh for `approximate="tanh"`; Upsample as
    /// Resize.
    static let importedAsOtherOps = Set(["Gelu"])
        .union(["Upsample"])  // Spatial resampling: Upsample is read as Resize
        .union(["Scatter"])  // Op variants: Scatter is read as ScatterElements

    /// Whether the importer reads `opType` as an op; any other refusal (a missing required
    /// attribute, say) still means it knows the operator.
    static func accepts(_ opType: String) -> Bool {
        var probe = OperatorImport(opType: opType, domain: "", opset: ONNXModel.supportedOpsets.upperBound, attributes: [:],
                                   inputCount: 1, constantInput: { _ in nil })
        do { _ = try probe.makeOp() } catch { return error.reason != "operator is not supported" }
        return true
    }

    @Test func everyAcceptedOperatorHasAllFiveParts() throws {
        let suite = try NodeSuiteCases.get()
        let defined = try String(contentsOfFile: suite.directory + "/operators.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        let accepted = defined.filter(Self.accepts)
        #expect(accepted.count >= 50, "the importer accepts only \(accepted)")
        let cases = try NodeSuiteCases.operators()
        var checked: [String] = []
        for opType in accepted {
            let examples = Self.variants.flatMap { variant in
                // An expanded case holds the operator's function body (Range's is a Loop), not the operator.
                cases.filter { $0.operator == opType && !$0.name.contains("_expanded") }.map { suite.directory + "/" + $0.name + "/" + variant }
            }
            let handWritten = try Self.handWritten(opType).map { ("hand-written", ONNXModel(graph: $0)) }
            guard let example = Self.firstCompiling(examples) ?? handWritten else {
                Issue.record("\(opType): no node-suite case imports and compiles, so no kernel is shown")
                continue
            }
            if handWritten != nil && Self.firstCompiling(examples) != nil {
                Issue.record("\(opType): a node-suite case now compiles: remove its hand-written example")
            }
            check(opType, example)
            checked.append(opType)
        }
        print("operators with all five parts: \(checked.count): \(checked.joined(separator: ", "))")
    }

    /// Examples for operators the node suite has no case of (GlobalLpPool), or none that
    /// compiles yet.
    static func handWritten(_ opType: String) throws -> Graph? {
        switch opType {
        case "GlobalLpPool":
            return Graph(
                name: "global_lp_pool", inputs: [ValueInfo(name: "x", type: TensorType(.float32, [2, 3, 4, 4]))],
                outputs: [ValueInfo(name: "y", type: TensorType(.float32, [2, 3, 1, 1]))],
                nodes: [Node(name: "pool", op: .algebra(.globalLpPool(p: 3)), inputs: ["x"], outputs: ["y"])])
        default:
            return nil
        }
    }

    /// A case's model, then its variants with constant operands, in the order tried.
    static let variants = ["model.onnx", "model_first_input_only.onnx", "model_no_inputs.onnx"]

    /// The first of `paths` that imports and compiles, with its opset.
    static func firstCompiling(_ paths: [String]) -> (path: String, model: ONNXModel)? {
        for path in paths {
            guard FileManager.default.fileExists(atPath: path), let model = try? ONNXModel.read(from: path),
                  (try? Session(graph: model.graph)) != nil else { continue }
            return (path, model)
        }
        return nil
    }

    func check(_ opType: String, _ example: (path: String, model: ONNXModel)) {
        let graph = example.model.graph
        let file = URL(fileURLWithPath: example.path)
        let name = "\(opType) (\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent))"
        // IR: the operator is an op of its own.
        let ops = graph.nodes.map(\.op.onnxName)
        #expect(ops.contains(opType) || Self.importedAsOtherOps.contains(opType), "\(name): imported as \(ops)")
        // Shape inference: a type for every value.
        do {
            let types = try ShapeInference.run(graph).types
            for node in graph.nodes {
                for output in node.outputs where !output.isEmpty && types[output] == nil {
                    Issue.record("\(name): shape inference gives no type for '\(output)' of \(node.op.onnxName)")
                }
            }
        } catch { Issue.record("\(name): shape inference: \(error)") }
        // Counting: every node has a rule (uncounted ops are an error by default).
        do { _ = try ComplexityReport(counting: graph) } catch { Issue.record("\(name): counting: \(error)") }
        // Export: written at the case's opset (within what we write) and read back, the same ops.
        let opset = min(max(example.model.opsetVersion, ONNXModel.supportedOpsets.lowerBound), ONNXModel.supportedOpsets.upperBound)
        do {
            let again = try ONNXModel(serialized: try ONNXModel(graph: graph, opsetVersion: opset).serialized()).graph
            #expect(again.nodes.map(\.op) == graph.nodes.map(\.op), "\(name): re-imported as \(again.nodes.map(\.op.onnxName))")
        } catch { Issue.record("\(name): export at opset \(opset): \(error)") }
        // The kernel: firstCompiling compiled a session for it.
    }
}
