import Testing
import ZooGraph
import ZooONNX
import ZooTensor

/// Writing the normalisation variants at opsets that lack their form is refused, naming
/// the node and the reason; the opsets that have it write them.
@Suite struct ConvNormExportTests {
    static func graph(_ op: Op, parameterShapes: [[Int]]) throws -> Graph {
        var builder = GraphBuilder(name: "norm")
        let x = try builder.input("x", TensorType(.float32, [2, 4, 3]))
        var inputs: [GraphBuilder.Value?] = [x]
        for (index, shape) in parameterShapes.enumerated() {
            inputs.append(try builder.parameter("p\(index)", Tensor(zeros: shape, dtype: .float32)))
        }
        try builder.output(try builder.add(op, inputs, name: "norm", outputCount: 1)[0])
        return try builder.build()
    }

    @Test func groupNormalizationIsWrittenOnlyWhereItsAffineFormExists() throws {
        let perChannel = try Self.graph(.normalization(.group(groupCount: 2, epsilon: 1e-5, perGroupAffine: false)),
                                        parameterShapes: [[4], [4]])
        let perGroup = try Self.graph(.normalization(.group(groupCount: 2, epsilon: 1e-5, perGroupAffine: true)),
                                      parameterShapes: [[2], [2]])
        #expect(try ONNXModel(serialized: try ONNXModel(graph: perChannel, opsetVersion: 21).serialized()).graph == perChannel)
        #expect(try ONNXModel(serialized: try ONNXModel(graph: perGroup, opsetVersion: 18).serialized()).graph == perGroup)
        #expect(throws: ONNXError.exportFailed(reason: "node 'norm' (GroupNormalization) has no form at opset 18: scale and bias per channel (opset 21) have no form at opset 18, where they are per group")) {
            try ONNXModel(graph: perChannel, opsetVersion: 18).serialized()
        }
        #expect(throws: ONNXError.exportFailed(reason: "node 'norm' (GroupNormalization) has no form at opset 21: scale and bias per group (opsets 18 to 20) have no form at opset 21, where they are per channel")) {
            try ONNXModel(graph: perGroup, opsetVersion: 21).serialized()
        }
    }

    @Test func rmsNormalizationNeedsOpset23() throws {
        let graph = try Self.graph(.normalization(.rms(axis: -1, epsilon: 1e-5)), parameterShapes: [[3]])
        #expect(throws: ONNXError.exportFailed(reason: "node 'norm' (RMSNormalization) has no form at opset 17: the operator exists from opset 23")) {
            try ONNXModel(graph: graph).serialized()
        }
        #expect(try ONNXModel(serialized: try ONNXModel(graph: graph, opsetVersion: 23).serialized()).graph == graph)
    }
}
