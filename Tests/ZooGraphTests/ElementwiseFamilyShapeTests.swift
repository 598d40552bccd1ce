import Testing
import ZooGraph
import ZooTensor

/// Shape inference of the elementwise family: dtypes from each member's table, numpy
/// broadcasting for binary and variadic members, and errors that name the node.
@Suite struct ElementwiseFamilyShapeTests {
    @Test func typesAndBroadcasting() throws {
        var builder = GraphBuilder(name: "family")
        let x = try builder.input("x", TensorType(.float16, ["batch", 1, 5]))
        let y = try builder.input("y", TensorType(.float16, [3, 1]))
        let flags = try builder.input("flags", TensorType(.bool, [5]))
        let bits = try builder.input("bits", TensorType(.uint16, [2, 5]))
        #expect(try builder.apply(.unary(.selu()), x, name: "selu").type == x.type)
        #expect(try builder.apply(.unary(.isInf()), x, name: "inf").type == TensorType(.bool, ["batch", 1, 5]))
        #expect(try builder.apply(.binary(.less), x, y, name: "less").type == TensorType(.bool, ["batch", 3, 5]))
        #expect(try builder.apply(.binary(.bitShift(left: false)), bits, bits, name: "shift").type == bits.type)
        #expect(try builder.apply(.binary(.xor), flags, flags, name: "xor").type == flags.type)
        #expect(try builder.apply(.variadic(.max), x, y, x, name: "max").type == TensorType(.float16, ["batch", 3, 5]))
        #expect(try builder.apply(.castLike, x, bits, name: "like").type == TensorType(.uint16, ["batch", 1, 5]))
    }

    @Test func errorsNameTheNode() throws {
        var builder = GraphBuilder(name: "family")
        let x = try builder.input("x", TensorType(.float32, [2, 5]))
        let counts = try builder.input("counts", TensorType(.int32, [5]))
        let other = try builder.input("other", TensorType(.float32, [3]))
        #expect(throws: GraphError.dtype(node: "shift", op: "BitShift", input: "x",
                                         expected: "one of int64, int32, int16, int8, uint64, uint32, uint16, uint8", actual: .float32)) {
            try builder.apply(.binary(.bitShift(left: true)), x, x, name: "shift")
        }
        #expect(throws: GraphError.dtype(node: "sine", op: "Sin", input: "counts",
                                         expected: "one of float32, float16, bfloat16, float64", actual: .int32)) {
            try builder.apply(.unary(.sin), counts, name: "sine")
        }
        #expect(throws: GraphError.dtype(node: "sum", op: "Sum", input: "counts", expected: "float32 (like 'x')", actual: .int32)) {
            try builder.apply(.variadic(.sum), x, counts, name: "sum")
        }
        let wide = try builder.input("wide", TensorType(.float32, [3, 2, 5]))
        #expect(throws: GraphError.shape(node: "prelu", op: "PRelu", message: "slope float32[3,2,5] does not broadcast to X float32[2,5]")) {
            try builder.apply(.binary(.prelu), x, wide, name: "prelu")
        }
        #expect(throws: GraphError.shape(node: "mean", op: "Mean", message: "shapes [2, 5] and [1, 3] do not broadcast (5 vs 3)")) {
            try builder.apply(.variadic(.mean), x, other, name: "mean")
        }
    }
}
