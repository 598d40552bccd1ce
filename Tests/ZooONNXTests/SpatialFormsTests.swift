import Testing
import ZooGraph
@testable import ZooONNX
import ZooTensor

/// GridSample's modes are named bilinear and bicubic before opset 20 and linear and cubic
/// from it: each opset's names are written and read, the other opset's refused on import;
/// AffineGrid and Col2Im are written only from the opsets that define them.
@Suite struct SpatialFormsTests {
    static func graph(_ op: SpatialOp, _ operands: [TensorType]) throws -> Graph {
        var builder = GraphBuilder(name: "spatial")
        var inputs: [GraphBuilder.Value?] = []
        for (index, type) in operands.enumerated() { inputs.append(try builder.input("x\(index)", type)) }
        try builder.output(try builder.add(.spatial(op), inputs, name: "node", outputCount: 1)[0])
        return try builder.build()
    }

    @Test func gridSampleModesAreWrittenAndReadUnderTheirOpsetsNames() throws {
        let graph = try Self.graph(.gridSample(GridSampleAttributes(mode: .cubic, padding: .border, alignCorners: true)),
                                   [TensorType(.float32, [1, 2, 4, 4]), TensorType(.float32, [1, 3, 3, 2])])
        for opset in [16, 19, 20, 22] {
            #expect(try ONNXModel(serialized: try ONNXModel(graph: graph, opsetVersion: opset).serialized()).graph == graph, "opset \(opset)")
        }
        for (name, opset, reason) in [("linear", 16, "mode 'linear' is not one of bilinear, nearest, bicubic at opset 16"),
                                      ("bicubic", 20, "mode 'bicubic' is not one of linear, nearest, cubic at opset 20")] {
            var importer = OperatorImport(opType: "GridSample", domain: "", opset: opset, attributes: ["mode": .string(name)],
                                          inputCount: 2, constantInput: { _ in nil })
            #expect(throws: OperatorImport.Problem.self) { try importer.makeOp() }
            do { _ = try importer.makeOp() } catch { #expect(error.reason == reason) }
        }
    }

    @Test func volumetricGridSampleIsWrittenFromOpset20() throws {
        let graph = try Self.graph(.gridSample(GridSampleAttributes()), [TensorType(.float32, [1, 2, 3, 4, 4]), TensorType(.float32, [1, 2, 2, 2, 3])])
        #expect(throws: ONNXError.exportFailed(reason: "node 'node' (GridSample) has no form at opset 19: 3-D images float32[1,2,3,4,4] need opset 20")) {
            try ONNXModel(graph: graph, opsetVersion: 19).serialized()
        }
        #expect(try ONNXModel(serialized: try ONNXModel(graph: graph, opsetVersion: 20).serialized()).graph == graph)
    }

    @Test func affineGridAndCol2ImNeedTheirOpsets() throws {
        let grid = try Self.graph(.affineGrid(alignCorners: false), [TensorType(.float32, [1, 2, 3]), TensorType(.int64, [4])])
        #expect(throws: ONNXError.exportFailed(reason: "node 'node' (AffineGrid) has no form at opset 19: the operator exists from opset 20")) {
            try ONNXModel(graph: grid, opsetVersion: 19).serialized()
        }
        let fold = try Self.graph(.col2Im(Col2ImAttributes(strides: [2, 2])),
                                  [TensorType(.float32, [1, 4, 4]), TensorType(.int64, [2]), TensorType(.int64, [2])])
        #expect(throws: ONNXError.exportFailed(reason: "node 'node' (Col2Im) has no form at opset 17: the operator exists from opset 18")) {
            try ONNXModel(graph: fold, opsetVersion: 17).serialized()
        }
        #expect(try ONNXModel(serialized: try ONNXModel(graph: fold, opsetVersion: 18).serialized()).graph == fold)
    }
}
