import Testing
import ZooGraph
import ZooTensor

/// Shapes of the ops whose output sizes depend on input values (a fresh symbol named after
/// the node, shared by the outputs it sizes; exact where the deciding value is a constant),
/// of TopK with a k known only at run time, and of RoiAlign and DeformConv; their errors
/// name the node and what is wrong.
@Suite struct SelectionShapeTests {
    private var builder = GraphBuilder(name: "shapes")

    @Test mutating func dataDependentCountsAreFreshSymbols() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 5]))
        #expect(try builder.apply(.selection(.nonZero), x, name: "nz").type.dims == [2, .symbolic("nz:0")])
        let unique = try builder.add(.selection(.unique(UniqueAttributes(axis: 1))), [x], name: "u", outputCount: 4)
        #expect(unique.map(\.type.dims) == [["batch", .symbolic("u:0")], [.symbolic("u:0")], [5], [.symbolic("u:0")]])
        let flat = try builder.add(.selection(.unique(UniqueAttributes())), [x], name: "flat", outputCount: 3)
        #expect(flat.map(\.type.rank) == [1, 1, 1] && flat[0].type.dims == [.symbolic("flat:0")])
        let boxes = try builder.input("boxes", TensorType(.float32, ["batch", 100, 4]))
        let scores = try builder.input("scores", TensorType(.float32, ["batch", 3, 100]))
        #expect(try builder.apply(.selection(.nonMaxSuppression(centerPointBox: false)), boxes, scores, name: "nms").type == TensorType(.int64, [.symbolic("nms:0"), 3]))
        let fewer = try builder.input("fewer", TensorType(.float32, ["batch", 3, 99]))
        #expect(throws: GraphError.shape(node: "bad", op: "NonMaxSuppression",
                                         message: "boxes float32[batch,100,4] and scores float32[batch,3,99] differ in their number of boxes")) {
            try builder.apply(.selection(.nonMaxSuppression(centerPointBox: false)), boxes, fewer, name: "bad")
        }
    }

    @Test mutating func compressCountsAConstantConditionAndChecksItsLength() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 4, 3]))
        let known = try builder.constant(try Tensor(shape: [3], scalars: [true, false, true]), name: "known")
        #expect(try builder.apply(.selection(.compress(axis: -2)), x, known, name: "c").type.dims == ["batch", 2, 3])
        let runTime = try builder.input("condition", TensorType(.bool, [4]))
        #expect(try builder.apply(.selection(.compress(axis: 1)), x, runTime, name: "r").type.dims == ["batch", .symbolic("r:0"), 3])
        let long = try builder.input("long", TensorType(.bool, [5]))
        #expect(throws: GraphError.shape(node: "too long", op: "Compress", message: "condition 'long' has 5 values, more than the 4 slices it selects from")) {
            try builder.apply(.selection(.compress(axis: 1)), x, long, name: "too long")
        }
    }

    @Test mutating func topKWithARunTimeKSizesItsAxisWithASymbol() throws {
        let x = try builder.input("x", TensorType(.float32, [2, 10]))
        let k = try builder.input("k", TensorType(.int64, [1]))
        let outputs = try builder.add(.topK(TopKAttributes(axis: 1)), [x, k], name: "top", outputCount: 2)
        #expect(outputs.map(\.type) == [TensorType(.float32, [2, .symbolic("top:0")]), TensorType(.int64, [2, .symbolic("top:0")])])
        let five = try builder.constant(try Tensor(shape: [1], scalars: [Int64(5)]), name: "five")
        #expect(try builder.add(.topK(TopKAttributes(axis: 1)), [x, five], name: "top5", outputCount: 2)[0].type.dims == [2, 5])
    }

    @Test mutating func roiAlignAndDeformConvSizes() throws {
        let image = try builder.input("image", TensorType(.float32, ["batch", 8, 32, 32]))
        let rois = try builder.input("rois", TensorType(.float32, ["regions", 4]))
        let indices = try builder.input("indices", TensorType(.int64, ["regions"]))
        let pooled = try builder.apply(.region(.roiAlign(RoiAlignAttributes(outputHeight: 7, outputWidth: 5))), image, rois, indices, name: "pool")
        #expect(pooled.type.dims == ["regions", 8, 7, 5])
        let weight = try builder.parameter("w", try Tensor(zeros: [16, 4, 3, 3]))
        let offset = try builder.input("offset", TensorType(.float32, ["batch", 36, 16, 16]))
        let attributes = DeformConvAttributes(strides: [2, 2], pads: [1, 1, 1, 1], group: 2, offsetGroup: 2)
        #expect(try builder.apply(.region(.deformConv(attributes)), image, weight, offset, name: "deform").type.dims == ["batch", 16, 16, 16])
        let wrongOffset = try builder.input("wrong", TensorType(.float32, ["batch", 18, 16, 16]))
        #expect(throws: GraphError.shape(node: "bad", op: "DeformConv",
                                         message: "offset float32[batch,18,16,16] has 18 channels; offset_group 2 and a 9-tap kernel take 36")) {
            try builder.apply(.region(.deformConv(attributes)), image, weight, wrongOffset, name: "bad")
        }
    }
}
