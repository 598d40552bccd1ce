import Foundation
import Testing
import ZooGraph
import ZooIO
import ZooONNX
import ZooTensor
import ZooTestSupport

@Suite struct ONNXRoundTripTests {
    @Test(arguments: ["convolutional", "sequence"])
    func ourGraphsSurviveWriteAndRead(name: String) throws {
        let graph = try name == "convolutional" ? SampleGraphs.convolutional() : SampleGraphs.sequence()
        let model = ONNXModel(graph: graph, docString: "round trip", metadata: [("zoo.id", name)])
        let parsed = try ONNXModel(serialized: try model.serialized())
        #expect(parsed == model)
        #expect(parsed.graph.initializers.map(\.name) == graph.initializers.map(\.name))
    }

    /// The independent checker accepts our file, its shape inference agrees with ours, and
    /// onnxruntime runs it.
    @Test(arguments: ["convolutional", "sequence"])
    func onnxCheckerAndRuntimeAcceptOurFiles(name: String) throws {
        let graph = try name == "convolutional" ? SampleGraphs.convolutional() : SampleGraphs.sequence()
        let path = try temporaryDirectory() + "/\(name).onnx"
        try ONNXModel(graph: graph, metadata: [("zoo.id", name)]).write(to: path)
        let report = try Python.json(OnnxCheckReport.self, script: "onnx_check.py", [path, "batch=2", "seq=5"])
        #expect(report.opset == 17)
        #expect(report.ir_version == 8)
        #expect(report.producer == "ModelZoo")
        #expect(report.metadata == ["zoo.id": name])

        let ours = try graph.valueTypes()
        var compared = 0
        for (value, theirs) in report.types {
            let type = try #require(ours[value], "onnx inferred a type for '\(value)', which we do not know")
            #expect(theirs.matches(type), "\(value): onnx infers \(theirs), we infer \(type)")
            compared += 1
        }
        #expect(compared >= graph.nodes.count / 2)
        let expectedShapes = name == "convolutional" ? [[2, 10]] : [[2, 8], [2, 2, 4]]
        #expect(report.output_shapes == expectedShapes)
    }
}

/// Weights in a side file, as the ONNX spec describes external data.
@Suite struct ExternalDataTests {
    @Test func writesAndReadsBackExternalWeights() throws {
        let directory = try temporaryDirectory()
        // Tensors of 1 KiB and more go to the side file (lstm.W here); smaller ones stay inline.
        let graph = try SampleGraphs.sequence()
        try ONNXModel(graph: graph).write(to: directory + "/seq.onnx", weights: .externalFile)
        let data = try FileManager.default.attributesOfItem(atPath: directory + "/seq.onnx.data")[.size] as? Int
        #expect((data ?? 0) > 0)
        let model = try ONNXModel.read(from: directory + "/seq.onnx")
        #expect(model.graph == graph)
    }

    /// onnx's own loader (with its path checks) reads the side file and the checker and
    /// onnxruntime accept the model.
    @Test func onnxToolsReadOurExternalData() throws {
        let directory = try temporaryDirectory()
        try ONNXModel(graph: try SampleGraphs.sequence()).write(to: directory + "/seq.onnx", weights: .externalFile)
        let output = try Python.run(script: "onnx_check.py", [directory + "/seq.onnx", "batch=2", "seq=5"])
        #expect(output.contains("\"output_shapes\": [[2, 8], [2, 2, 4]]"))
    }

    @Test func externalDataNeedsAFileAndStaysInItsDirectory() throws {
        let directory = try temporaryDirectory()
        try ONNXModel(graph: try SampleGraphs.sequence()).write(to: directory + "/seq.onnx", weights: .externalFile)
        let bytes = try FileReader.readAll(directory + "/seq.onnx", limit: 1 << 30)
        #expect(throws: ONNXError.invalidTensor(file: "<memory>", name: "lstm.W",
                                                reason: "stored in an external file, which needs the model to be read from its file")) {
            try ONNXModel(serialized: bytes)
        }
        try FileManager.default.removeItem(atPath: directory + "/seq.onnx.data")
        #expect(throws: ONNXError.invalidTensor(file: directory + "/seq.onnx", name: "lstm.W",
                                                reason: "external data file 'seq.onnx.data' is missing: No such file or directory")) {
            try ONNXModel.read(from: directory + "/seq.onnx")
        }
    }
}
