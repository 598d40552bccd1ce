import Testing
import ZooGraph
import ZooTensor

/// Shapes of TensorScatter, CausalConvWithState and LinearAttention, symbolic where the inputs
/// are, and their errors, which name the node and what is wrong.
@Suite struct StatefulShapeTests {
    private var builder = GraphBuilder(name: "shapes")

    @Test mutating func tensorScatterKeepsTheCacheTypeAndRefusesTheBatchAxis() throws {
        let cache = try builder.input("cache", TensorType(.float16, ["batch", 4, 16, 8]))
        let update = try builder.input("update", TensorType(.float16, ["batch", 4, 1, 8]))
        let present = try builder.apply(.stateful(.tensorScatter(TensorScatterAttributes(circular: true, axis: -2))), cache, update, name: "s")
        #expect(present.type == TensorType(.float16, ["batch", 4, 16, 8]))
        #expect(throws: GraphError.attribute(node: "batch", op: "TensorScatter", name: "axis", message: "is 0, the batch axis; the sequence axis must be another")) {
            try builder.apply(.stateful(.tensorScatter(TensorScatterAttributes(circular: false, axis: 0))), cache, update, name: "batch")
        }
        let longer = try builder.input("longer", TensorType(.float16, ["batch", 4, 17, 8]))
        let error = try #require(throws: GraphError.self) {
            try builder.apply(.stateful(.tensorScatter(TensorScatterAttributes(circular: false, axis: 2))), cache, longer, name: "long")
        }
        #expect("\(error)".contains("on every axis but 2, where it may be shorter"))
    }

    @Test mutating func causalConvolutionStateIsTheKernelLessOne() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 4, "length"]))
        let w = try builder.input("w", TensorType(.float32, [4, 1, 3]))
        let outputs = try builder.add(.stateful(.causalConvolution(activation: .none)), [x, w], name: "c", outputCount: 2)
        #expect(outputs.map(\.type) == [TensorType(.float32, ["batch", 4, "length"]), TensorType(.float32, ["batch", 4, 2])])
        let wide = try builder.input("wide", TensorType(.float32, [5, 1, 3]))
        #expect(throws: GraphError.shape(node: "channels", op: "CausalConvWithState", message: "weight float32[5,1,3] must have the input's 4 channels")) {
            try builder.apply(.stateful(.causalConvolution(activation: .silu)), x, wide, name: "channels")
        }
    }

    @Test mutating func linearAttentionUnpacksHeadsAndChecksItsGates() throws {
        let q = try builder.input("q", TensorType(.float32, ["batch", "tokens", 32]))
        let k = try builder.input("k", TensorType(.float32, ["batch", "tokens", 16]))
        let v = try builder.input("v", TensorType(.float32, ["batch", "tokens", 12]))
        let outputs = try builder.add(.stateful(.linearAttention(LinearAttentionAttributes(updateRule: .linear, queryHeadCount: 4, keyValueHeadCount: 2))),
                                      [q, k, v], name: "l", outputCount: 2)
        #expect(outputs.map(\.type) == [TensorType(.float32, ["batch", "tokens", 24]), TensorType(.float32, ["batch", 2, 8, 6])])
        #expect(throws: GraphError.shape(node: "gated", op: "LinearAttention", message: "update_rule 'gated' needs decay input")) {
            try builder.apply(.stateful(.linearAttention(LinearAttentionAttributes(updateRule: .gated, queryHeadCount: 4, keyValueHeadCount: 2))),
                              q, k, v, name: "gated")
        }
        #expect(throws: GraphError.shape(node: "keys", op: "LinearAttention", message: "key float32[batch,tokens,12] must hold kv_num_heads 2 × the query's head size 8")) {
            try builder.apply(.stateful(.linearAttention(LinearAttentionAttributes(updateRule: .linear, queryHeadCount: 4, keyValueHeadCount: 2))),
                              q, v, v, name: "keys")
        }
    }
}
