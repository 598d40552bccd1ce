import Testing
import ZooGraph
@testable import ZooONNX
import ZooTensor

/// RoiAlign before opset 16 has no coordinate_transformation_mode and means
/// output_half_pixel; from 16 the default is half_pixel. Each opset's form is read so, written
/// back to the same graph, and half_pixel is refused where it has no form.
@Suite struct RegionFormsTests {
    static func imported(opset: Int, _ attributes: [String: AttributeValue] = [:]) throws -> Op {
        var importer = OperatorImport(opType: "RoiAlign", domain: "", opset: opset, attributes: attributes, inputCount: 3, constantInput: { _ in nil })
        return try importer.makeOp()
    }

    @Test func roiAlignsTransformationFollowsTheOpset() throws {
        #expect(try Self.imported(opset: 10) == .region(.roiAlign(RoiAlignAttributes(halfPixel: false))))
        #expect(try Self.imported(opset: 16) == .region(.roiAlign(RoiAlignAttributes(halfPixel: true))))
        #expect(try Self.imported(opset: 16, ["coordinate_transformation_mode": .string("output_half_pixel"), "mode": .string("max")])
                == .region(.roiAlign(RoiAlignAttributes(mode: .max, halfPixel: false))))
        #expect(throws: OperatorImport.Problem.self) { try Self.imported(opset: 10, ["coordinate_transformation_mode": .string("half_pixel")]) }
        #expect(throws: OperatorImport.Problem.self) { try Self.imported(opset: 16, ["mode": .string("median")]) }
    }

    @Test func roiAlignIsWrittenInEachOpsetsForm() throws {
        var builder = GraphBuilder(name: "roi")
        let image = try builder.input("x", TensorType(.float32, [1, 2, 8, 8]))
        let rois = try builder.input("rois", TensorType(.float32, [3, 4]))
        let indices = try builder.input("indices", TensorType(.int64, [3]))
        for (name, halfPixel) in [("legacy", false), ("shifted", true)] {
            let op = Op.region(.roiAlign(RoiAlignAttributes(mode: .max, outputHeight: 2, outputWidth: 3, samplingRatio: 2, spatialScale: 0.5, halfPixel: halfPixel)))
            try builder.output(try builder.add(op, [image, rois, indices], name: name)[0])
        }
        let graph = try builder.build()
        #expect(try ONNXModel(serialized: try ONNXModel(graph: graph, opsetVersion: 16).serialized()).graph == graph)
        #expect(throws: ONNXError.exportFailed(reason: "node 'shifted' (RoiAlign) has no form at opset 15: coordinate_transformation_mode half_pixel exists from opset 16")) {
            try ONNXModel(graph: graph, opsetVersion: 15).serialized()
        }
    }
}
