import Foundation
import Testing
@testable import ZooONNX
import ZooGraph
import ZooTensor
import ZooTestSupport

/// Our table of operator forms per opset agrees with the onnx package's schemas, for every
/// operator and attribute we read, at every opset from 1 to the newest we write.
@Suite struct OperatorFormsTests {
    struct Form: Decodable {
        let attributes: [String]
        let inputs: [Int]
    }

    @Test func formsMatchTheOnnxSchemas() throws {
        let operators = OperatorImport.known.keys.sorted()
        let newest = ONNXModel.supportedOpsets.upperBound
        let schemas = try Python.json([String: [String: Form]].self, script: "opset_forms.py", ["\(newest)"] + operators)
        for op in operators {
            let forms = try #require(schemas[op], "onnx has no schema for \(op)")
            for opset in 1...newest {
                guard let form = forms["\(opset)"] else {
                    #expect(OperatorForms.introduced[op].map { opset < $0 } == true, "\(op) does not exist at \(opset) in onnx")
                    continue
                }
                let arity = form.inputs[0]...(form.inputs[1] < 0 ? Int.max : form.inputs[1])
                #expect(OperatorForms.mismatch(opType: op, opset: opset, attributes: [], inputCount: arity.lowerBound) == nil,
                        "\(op) at opset \(opset): onnx defines it with \(arity.lowerBound) inputs")
                for attribute in OperatorImport.known[op] ?? [] {
                    let ours = OperatorForms.mismatch(opType: op, opset: opset, attributes: [attribute],
                                                      inputCount: arity.lowerBound) == nil
                    #expect(ours == form.attributes.contains(attribute), "\(op).\(attribute) at opset \(opset)")
                }
                // Scan before 9 had another input list; the importer refuses it outright.
                if let counts = OperatorForms.inputCounts(of: op, at: opset) {
                    #expect(counts == arity, "\(op) inputs at opset \(opset): ours \(counts), onnx \(arity)")
                } else if op != "Scan" {
                    let newestArity = try #require(forms["\(newest)"]).inputs
                    #expect(form.inputs == newestArity, "\(op)'s input count changes at opset \(opset): list it in OperatorForms")
                }
            }
        }
    }
}

/// A node in a form its file's opset does not define is refused, naming node, op and opset;
/// every mismatch of the file is reported at once.
@Suite struct OpsetImportRefusalTests {
    @Test func formsFromOtherOpsetsAreRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for opset in [13, 18] {
            _ = try Python.run(script: "make_opset_mismatch_onnx.py", ["\(directory)/\(opset).onnx", "\(opset)"])
        }
        #expect(throws: ONNXError.unsupported(file: "\(directory)/13.onnx", problems: [
            .init(node: "shape", op: "Shape", domain: "", opset: 13, reason: "attribute 'start' exists from opset 15"),
            .init(node: "norm", op: "LayerNormalization", domain: "", opset: 13, reason: "the operator exists from opset 17"),
            .init(node: "gelu", op: "Gelu", domain: "", opset: 13, reason: "the operator exists from opset 20"),
            .init(node: "mean", op: "ReduceMean", domain: "", opset: 13, reason: "2 inputs given, the opset defines 1"),
            .init(node: "unsqueeze", op: "Unsqueeze", domain: "", opset: 13, reason: "attribute 'axes' exists up to opset 12"),
            .init(node: "reshape", op: "Reshape", domain: "", opset: 13, reason: "attribute 'allowzero' exists from opset 14"),
            .init(node: "bn", op: "BatchNormalization", domain: "", opset: 13,
                  reason: "attribute 'training_mode' exists from opset 14"),
        ])) {
            try ONNXModel.read(from: "\(directory)/13.onnx")
        }
        #expect(throws: ONNXError.unsupported(file: "\(directory)/18.onnx", problems: [
            .init(node: "max", op: "ReduceMax", domain: "", opset: 18, reason: "attribute 'axes' exists up to opset 17"),
        ])) {
            try ONNXModel.read(from: "\(directory)/18.onnx")
        }
    }
}

/// Export at each opset: the rewrites an older opset needs, Reduce axes as inputs from 18,
/// and a clear refusal of what no opset-`N` form can say.
@Suite struct OpsetWritingTests {
    static let x = ValueInfo(name: "x", type: TensorType(.float32, ["batch", 3, 4]))

    static func graph(_ nodes: [Node], inputs: [ValueInfo] = [x], output: ValueInfo,
                      initializers: [Graph.Initializer] = []) -> Graph {
        Graph(name: "g", inputs: inputs, outputs: [output], nodes: nodes, initializers: initializers)
    }

    static func ones(_ name: String, _ shape: [Int]) throws -> Graph.Initializer {
        Graph.Initializer(name: name, tensor: try Tensor(shape: shape, scalars: [Float](repeating: 1, count: shape.reduce(1, *))))
    }

    @Test func opsetsOutsideTheRangeAreRefused() throws {
        let graph = Self.graph([Node(name: "r", op: .relu, inputs: ["x"], outputs: ["y"])],
                               output: ValueInfo(name: "y", type: Self.x.type))
        for opset in [12, 29] {
            #expect(throws: ONNXError.exportFailed(reason: "opset \(opset) is not supported; choose 13 to 28")) {
                try ONNXModel(graph: graph, opsetVersion: opset).serialized()
            }
        }
        #expect(ONNXError.exportFailed(reason: "opset 12 is not supported; choose 13 to 28").description
            == "cannot export: opset 12 is not supported; choose 13 to 28")
    }

    @Test func shapeWithBoundsIsASliceOfTheShapeBeforeOpset15() throws {
        let graph = Self.graph([Node(name: "s", op: .shape(start: 1, end: -1), inputs: ["x"], outputs: ["y"])],
                               output: ValueInfo(name: "y", type: TensorType(.int64, [1])))
        let written = try ONNXModel(graph: graph, opsetVersion: 14).writtenGraph()
        #expect(written.nodes.map(\.op) == [.shape(), .constant(try Tensor(int64Vector: [1])),
                                            .constant(try Tensor(int64Vector: [-1])), .constant(try Tensor(int64Vector: [0])), .slice])
        #expect(written.nodes.last?.name == "s" && written.nodes.last?.outputs == ["y"])
        #expect(try ONNXModel(graph: graph, opsetVersion: 15).writtenGraph() == graph)
        for opset in [14, 15] {
            let bytes = try ONNXModel(graph: graph, opsetVersion: opset).serialized()
            #expect(try ONNXModel(serialized: bytes).graph == ONNXModel(graph: graph, opsetVersion: opset).writtenGraph())
        }
    }

    @Test func layerNormalizationIsItsFunctionBodyBeforeOpset17() throws {
        let graph = Self.graph([Node(name: "ln", op: .layerNormalization(axis: 1, epsilon: 1e-3), inputs: ["x", "scale", "bias"],
                                     outputs: ["y"])],
                               output: ValueInfo(name: "y", type: Self.x.type),
                               initializers: [try Self.ones("scale", [3, 4]), try Self.ones("bias", [3, 4])])
        let written = try ONNXModel(graph: graph, opsetVersion: 16).writtenGraph()
        let mean = Op.reduce(.mean, ReduceAttributes(axes: [-2, -1], keepDims: true))
        #expect(written.nodes.map(\.op) == [mean, .sub, .mul, mean, .constant(Tensor(scalar: Float(1e-3))), .add, .sqrt,
                                            .div, .mul, .add])
        #expect(written.nodes.last?.name == "ln" && written.nodes.last?.outputs == ["y"])
        #expect(try ONNXModel(graph: graph, opsetVersion: 17).writtenGraph() == graph)
    }

    @Test func reduceAxesAreAnInputFromOpset18AndReadBackAsTheAttribute() throws {
        let graph = Self.graph([Node(name: "m", op: .reduce(.max, ReduceAttributes(axes: [2], keepDims: false)), inputs: ["x"],
                                     outputs: ["y"])],
                               output: ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3])))
        for opset in [17, 18, 28] {
            let bytes = try ONNXModel(graph: graph, opsetVersion: opset).serialized()
            #expect(try ONNXModel(serialized: bytes).graph == graph, "opset \(opset)")
        }
    }

    @Test func formsNoOpsetCanSayAreRefusedNamingTheNode() throws {
        let lstm = Self.graph(
            [Node(name: "rnn", op: .lstm(LSTMAttributes(hiddenSize: 2, layout: 1)), inputs: ["x", "W", "R"], outputs: ["y"])],
            output: ValueInfo(name: "y", type: TensorType(.float32, ["batch", 3, 1, 2])),
            initializers: [try Self.ones("W", [1, 8, 4]), try Self.ones("R", [1, 8, 2])])
        #expect(throws: ONNXError.exportFailed(
            reason: "node 'rnn' (LSTM) has no form at opset 13: attribute 'layout' exists from opset 14")) {
            try ONNXModel(graph: lstm, opsetVersion: 13).serialized()
        }
        _ = try ONNXModel(graph: lstm, opsetVersion: 14).serialized()

        let image = ValueInfo(name: "x", type: TensorType(.float32, [1, 1, 6, 6]))
        let pool = Self.graph(
            [Node(name: "pool", op: .averagePool(PoolAttributes(kernelShape: [2, 2], dilations: [2, 2])), inputs: ["x"],
                  outputs: ["y"])],
            inputs: [image], output: ValueInfo(name: "y", type: TensorType(.float32, [1, 1, 4, 4])))
        #expect(throws: ONNXError.exportFailed(
            reason: "node 'pool' (AveragePool) has no form at opset 18: attribute 'dilations' exists from opset 19")) {
            try ONNXModel(graph: pool, opsetVersion: 18).serialized()
        }
        _ = try ONNXModel(graph: pool, opsetVersion: 19).serialized()
    }
}
