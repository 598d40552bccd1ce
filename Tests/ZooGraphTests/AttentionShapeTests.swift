import Testing
import ZooGraph
import ZooTensor

/// Shapes of Attention and RotaryEmbedding, symbolic where the inputs are, and their errors,
/// which name the node and what is wrong.
@Suite struct AttentionShapeTests {
    private var builder = GraphBuilder(name: "shapes")

    @Test mutating func fourDimensionalWithASymbolicPastGivesAFreshTotalLength() throws {
        let q = try builder.input("q", TensorType(.float32, ["batch", 8, "seq", 16]))
        let k = try builder.input("k", TensorType(.float32, ["batch", 2, "seq", 16]))
        let v = try builder.input("v", TensorType(.float32, ["batch", 2, "seq", 12]))
        let pastKey = try builder.input("pk", TensorType(.float32, ["batch", 2, "past", 16]))
        let pastValue = try builder.input("pv", TensorType(.float32, ["batch", 2, "past", 12]))
        let outputs = try builder.add(.attention(.attention(AttentionAttributes(isCausal: true))), [q, k, v, nil, pastKey, pastValue],
                                      name: "a", outputCount: 4)
        let total = Dim.symbolic("a:2")
        #expect(outputs.map(\.type.dims) == [["batch", 8, "seq", 12], ["batch", 2, total, 16], ["batch", 2, total, 12], ["batch", 8, "seq", total]])
    }

    @Test mutating func threeDimensionalInputsSplitTheirHiddenAxisIntoHeads() throws {
        let q = try builder.input("q", TensorType(.float16, [2, 5, 24]))
        let kv = try builder.input("kv", TensorType(.float16, [2, 7, 8]))
        let pastKey = try builder.input("pk", TensorType(.float16, [2, 2, 3, 4]))
        let outputs = try builder.add(.attention(.attention(AttentionAttributes(queryHeadCount: 6, keyValueHeadCount: 2))), [q, kv, kv, nil, pastKey, pastKey],
                                      name: "a", outputCount: 4)
        #expect(outputs.map(\.type) == [TensorType(.float16, [2, 5, 24]), TensorType(.float16, [2, 2, 10, 4]), TensorType(.float16, [2, 2, 10, 4]),
                                        TensorType(.float16, [2, 6, 5, 10])])
        #expect(throws: GraphError.shape(node: "odd", op: "Attention", message: "Q's hidden size 24 is not a multiple of the 5 heads")) {
            try builder.apply(.attention(.attention(AttentionAttributes(queryHeadCount: 5, keyValueHeadCount: 1))), q, kv, kv, name: "odd")
        }
        #expect(throws: GraphError.shape(node: "alone", op: "Attention", message: "past_key and past_value must be given together")) {
            try builder.apply(.attention(.attention(AttentionAttributes(queryHeadCount: 6, keyValueHeadCount: 2))), q, kv, kv, nil, pastKey, name: "alone")
        }
    }

    @Test mutating func rotaryEmbeddingKeepsItsInputsShapeAndChecksItsCaches() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", "seq", 24]))
        let cache = try builder.input("cache", TensorType(.float32, [64, 3]))
        let positions = try builder.input("positions", TensorType(.int64, ["batch", "seq"]))
        let rotary = Op.attention(.rotaryEmbedding(RotaryEmbeddingAttributes(rotaryDimension: 6, headCount: 3)))
        #expect(try builder.apply(rotary, x, cache, cache, positions, name: "r").type == TensorType(.float32, ["batch", "seq", 24]))
        #expect(throws: GraphError.shape(node: "full", op: "RotaryEmbedding", message: "the caches' last axis 3 must be rotary_embedding_dim / 2 = 4")) {
            try builder.apply(.attention(.rotaryEmbedding(RotaryEmbeddingAttributes(headCount: 3))), x, cache, cache, positions, name: "full")
        }
    }
}
