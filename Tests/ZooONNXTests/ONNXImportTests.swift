import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooTensor
import ZooTestSupport

@Suite struct ONNXImportTests {
    /// A file written by the onnx package itself (typed float_data and raw_data weights,
    /// symbolic batch), at the opset where Unsqueeze's axes were an attribute and at 13.
    @Test(arguments: [11, 13])
    func readsFilesWrittenByTheOnnxPackage(opset: Int) throws {
        let path = try temporaryDirectory() + "/fixture.onnx"
        _ = try Python.run(script: "make_onnx_fixture.py", [path, "\(opset)"])
        let model = try ONNXModel.read(from: path)
        #expect(model.opsetVersion == opset)
        #expect(model.producerName == "onnx-helper")
        let graph = model.graph
        #expect(graph.inputs == [ValueInfo(name: "x", type: TensorType(.float32, ["N", 1, 8, 8]))])
        #expect(graph.nodes.map(\.op.onnxName).filter { $0 != "Constant" } == ["Conv", "Relu", "MaxPool", "Unsqueeze", "Squeeze", "Flatten", "Gemm"])
        let types = try graph.valueTypes()
        #expect(types["f"] == TensorType(.float32, ["N", 64]))
        #expect(types["y"] == TensorType(.float32, ["N", 3]))
        let weights = graph.initializerTensors
        #expect(weights["conv.weight"]?.shape == [4, 1, 3, 3])
        #expect(weights["fc.weight"]?.shape == [3, 64])
    }

    @Test func everyUnsupportedNodeIsReportedAtOnce() throws {
        let graph = try SampleGraphs.convolutional()
        // Rewrite two nodes into operators we lack by editing the serialized op_type names.
        var bytes = try ONNXModel(graph: graph).serialized()
        func replace(_ old: String, _ new: String) {
            let oldBytes = Array(old.utf8), newBytes = Array(new.utf8)
            precondition(oldBytes.count == newBytes.count)
            var index = 0
            while index + oldBytes.count <= bytes.count {
                if Array(bytes[index..<index + oldBytes.count]) == oldBytes {
                    bytes.replaceSubrange(index..<index + oldBytes.count, with: newBytes)
                }
                index += 1
            }
        }
        // Every ONNX operator of four letters is supported now: a made-up one.
        replace("\u{04}Relu", "\u{04}Fake")
        replace("\u{07}Softmax", "\u{07}Adagrad")
        #expect(throws: ONNXError.unsupported(file: "edited.onnx", problems: [
            .init(node: "features.2", op: "Fake", domain: "", opset: 17, reason: "operator is not supported"),
            .init(node: "probabilities", op: "Adagrad", domain: "", opset: 17, reason: "operator is not supported"),
        ])) {
            try ONNXModel(serialized: bytes, file: "edited.onnx")
        }
    }

    @Test func errorTextNamesFileNodeOpAndOpset() {
        let error = ONNXError.unsupported(file: "m.onnx", problems: [
            .init(node: "n1", op: "Selu", domain: "", opset: 17, reason: "operator is not supported")])
        #expect(error.description == "m.onnx: 1 unsupported node:\n  node 'n1': Selu (opset 17): operator is not supported")
    }
}

/// The forms operators took in older opsets import into their opset-17 meaning.
@Suite struct LegacyOpsetImportTests {
    @Test(arguments: [7, 9, 11, 13])
    func legacyFormsImport(opset: Int) throws {
        let path = try temporaryDirectory() + "/legacy.onnx"
        _ = try Python.run(script: "make_legacy_onnx.py", [path, "\(opset)"])
        let graph = try ONNXModel.read(from: path).graph
        let types = try graph.valueTypes()
        #expect(types["sliced"] == TensorType(.float32, ["N", 4, 3, 4]))
        #expect(types["y"] == TensorType(.float32, [1, "N", 4, 3, 4]))
        let ops = graph.nodes.map(\.op.onnxName)
        if opset < 13 {
            // Softmax over axis 1 of the 2-D coerced input: Shape, Flatten, Softmax, Reshape.
            #expect(graph.nodes.first { $0.name == "softmax/flatten" }?.op == .flatten(axis: 1))
            #expect(graph.nodes.first { $0.name == "softmax/rows" }?.op == .softmax(axis: -1))
            #expect(graph.nodes.first { $0.name == "softmax" }?.op == .reshape())
        } else {
            #expect(graph.nodes.first { $0.name == "softmax" }?.op == .softmax(axis: 1))
            #expect(!ops.contains("Flatten"))
        }
    }
}
