import Testing
import ZooGraph
import ZooTensor

/// Golden shape cases from REFERENCE.md and the ONNX operator spec.
@Suite struct ShapeInferenceTests {
    private func zeros(_ shape: [Int]) throws -> Tensor { try Tensor(zeros: shape) }

    /// Output dims of a single Conv on `input` with a weight of `weight` shape.
    private func convDims(_ input: [Dim], weight: [Int], _ attributes: ConvAttributes = ConvAttributes()) throws -> [Dim] {
        var builder = GraphBuilder(name: "conv")
        let x = try builder.input("x", TensorType(.float32, input))
        let w = try builder.parameter("w", try zeros(weight))
        return try builder.apply(.conv(attributes), x, w, name: "conv").type.dims
    }

    @Test func convOutputSizeFollowsTheFormula() throws {
        // ⌊(n − k + 2p + s) / s⌋: 6x6x3 with two 3x3x3 filters → 4x4x2.
        #expect(try convDims([1, 3, 6, 6], weight: [2, 3, 3, 3]) == [1, 2, 4, 4])
        // Padding 1 on 3x3 with a 2x2 kernel → 4x4; with strides (3, 2) → 2x2.
        #expect(try convDims([1, 1, 3, 3], weight: [1, 1, 2, 2], ConvAttributes(pads: [1, 1, 1, 1])) == [1, 1, 4, 4])
        #expect(try convDims([1, 1, 3, 3], weight: [1, 1, 2, 2], ConvAttributes(strides: [3, 2], pads: [1, 1, 1, 1])) == [1, 1, 2, 2])
        // AlexNet conv1 of the course table: 224, k 11, s 4, p 1 → 54.
        #expect(try convDims([1, 3, 224, 224], weight: [96, 3, 11, 11], ConvAttributes(strides: [4, 4], pads: [1, 1, 1, 1])) == [1, 96, 54, 54])
        // Asymmetric padding, dilation and SAME_UPPER.
        #expect(try convDims([1, 1, 7, 7], weight: [1, 1, 3, 3], ConvAttributes(pads: [0, 1, 2, 0])) == [1, 1, 7, 6])
        #expect(try convDims([1, 1, 9, 9], weight: [1, 1, 3, 3], ConvAttributes(dilations: [2, 2])) == [1, 1, 5, 5])
        #expect(try convDims([1, 1, 7, 7], weight: [1, 1, 3, 3], ConvAttributes(strides: [2, 2], autoPad: .sameUpper)) == [1, 1, 4, 4])
        // Grouped: 4 input channels in 2 groups of 2.
        #expect(try convDims([1, 4, 5, 5], weight: [6, 2, 1, 1], ConvAttributes(group: 2)) == [1, 6, 5, 5])
    }

    @Test func leNetShapes() throws {
        // LeNet 32x32x1 with six 5x5 filters → 28x28x6, 2x2/2 average pool → 14x14x6.
        var builder = GraphBuilder(name: "lenet")
        let x = try builder.input("x", TensorType(.float32, ["batch", 1, 32, 32]))
        let conv = try builder.apply(.conv(ConvAttributes()), x, try builder.parameter("c1.weight", try zeros([6, 1, 5, 5])), name: "c1")
        let pool = try builder.apply(.averagePool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2])), conv, name: "s2")
        #expect(conv.type == TensorType(.float32, ["batch", 6, 28, 28]))
        #expect(pool.type == TensorType(.float32, ["batch", 6, 14, 14]))
    }

    @Test func poolingCeilModeAndPadding() throws {
        func pool(_ size: Int, kernel: Int, stride: Int, pad: Int = 0, ceil: Bool) throws -> Dim {
            var builder = GraphBuilder(name: "pool")
            let x = try builder.input("x", TensorType(.float32, [1, 1, .fixed(size), .fixed(size)]))
            let attributes = PoolAttributes(kernelShape: [kernel, kernel], strides: [stride, stride],
                                            pads: [pad, pad, pad, pad], ceilMode: ceil)
            return try builder.apply(.maxPool(attributes), x, name: "pool").type.dims[3]
        }
        #expect(try pool(4, kernel: 2, stride: 2, ceil: false) == 2)   // REFERENCE 2x2/2 example
        #expect(try pool(5, kernel: 3, stride: 1, ceil: false) == 3)   // REFERENCE 3x3/1 example
        #expect(try pool(112, kernel: 3, stride: 2, ceil: true) == 56) // GoogLeNet maxpool1
        #expect(try pool(112, kernel: 3, stride: 2, ceil: false) == 55)
        // ceil_mode may not start a window inside the end padding (PyTorch's rule): 5, k2, s2, p1.
        #expect(try pool(5, kernel: 2, stride: 2, pad: 1, ceil: true) == 3)
    }

    @Test func batchStaysSymbolicThroughAConvStack() throws {
        var builder = GraphBuilder(name: "stack")
        var x = try builder.input("x", TensorType(.float32, ["batch", 3, 32, 32]))
        for layer in 0..<3 {
            let weight = try builder.parameter("conv\(layer).weight", try zeros([8, layer == 0 ? 3 : 8, 3, 3]))
            x = try builder.apply(.conv(ConvAttributes(strides: [2, 2], pads: [1, 1, 1, 1])), x, weight, name: "conv\(layer)")
            x = try builder.apply(.relu, x, name: "relu\(layer)")
        }
        let flat = try builder.apply(.flatten(axis: 1), x, name: "flatten")
        #expect(x.type.dims == ["batch", 8, 4, 4])
        #expect(flat.type.dims == ["batch", 128])
    }

    @Test func matMulOverSymbolicSequenceAndHeadReshapes() throws {
        var builder = GraphBuilder(name: "attention")
        let x = try builder.input("x", TensorType(.float32, ["batch", "seq", 768]))
        let w = try builder.parameter("w", try zeros([768, 768]))
        let projected = try builder.apply(.matMul, x, w, name: "query")
        #expect(projected.type.dims == ["batch", "seq", 768])
        let shape = try builder.constant(try Tensor(shape: [4], scalars: [Int64(0), 0, 12, 64]), name: "heads_shape")
        let heads = try builder.apply(.reshape(), projected, shape, name: "split_heads")
        #expect(heads.type.dims == ["batch", "seq", 12, 64])
        let transposed = try builder.apply(.transpose(perm: [0, 2, 1, 3]), heads, name: "transpose")
        let keys = try builder.apply(.transpose(perm: [0, 1, 3, 2]), transposed, name: "keys")
        let scores = try builder.apply(.matMul, transposed, keys, name: "scores")
        #expect(scores.type.dims == ["batch", 12, "seq", "seq"])
        // -1 resolved against a symbolic product: [batch, seq, 768] → [-1, 768] → batch*seq.
        let flatShape = try builder.constant(try Tensor(shape: [2], scalars: [Int64(-1), 768]), name: "flat_shape")
        let flat = try builder.apply(.reshape(), projected, flatShape, name: "flat")
        #expect(flat.type.dims == ["batch*seq", 768])
        let backShape = try builder.constant(try Tensor(shape: [3], scalars: [Int64(-1), 12, 64]), name: "back_shape")
        #expect(try builder.apply(.reshape(), flat, backShape, name: "back").type.dims == ["batch*seq", 12, 64])
    }

    @Test func broadcastingGatherSliceAndLSTM() throws {
        var builder = GraphBuilder(name: "misc")
        let a = try builder.input("a", TensorType(.float32, ["batch", 1, 5]))
        let b = try builder.input("b", TensorType(.float32, [4, 1]))
        #expect(try builder.apply(.add, a, b, name: "add").type.dims == ["batch", 4, 5])
        let table = try builder.parameter("embedding.weight", try zeros([100, 16]))
        let ids = try builder.input("ids", TensorType(.int64, ["seq", "batch"]))
        let embedded = try builder.apply(.gather(), table, ids, name: "embedding")
        #expect(embedded.type.dims == ["seq", "batch", 16])
        let lstm = try builder.add(
            .lstm(LSTMAttributes(hiddenSize: 8, direction: .bidirectional)),
            [embedded, try builder.parameter("W", try zeros([2, 32, 16])), try builder.parameter("R", try zeros([2, 32, 8]))],
            name: "lstm", outputCount: 3)
        #expect(lstm[0].type.dims == ["seq", 2, "batch", 8])
        #expect(lstm[1].type.dims == [2, "batch", 8])
        let bounds = { (values: [Int64], name: String) in try builder.constant(try Tensor(shape: [values.count], scalars: values), name: name) }
        let starts = try bounds([1], "starts"), ends = try bounds([-1], "ends"), axes = try bounds([2], "axes")
        #expect(try builder.apply(.slice, a, starts, ends, axes, name: "slice").type.dims == ["batch", 1, 3])
        let shape = try builder.apply(.shape(), b, name: "shape_of_b")
        #expect(shape.type == TensorType(.int64, [2]))
    }
}

/// Sizes computed at run time (Shape → Gather → Unsqueeze → Concat → Reshape, as exporters
/// write them) keep their symbols.
@Suite struct SymbolicShapeValueTests {
    @Test func exporterStyleReshapeChainKeepsBatchAndSeq() throws {
        var builder = GraphBuilder(name: "chain")
        let x = try builder.input("x", TensorType(.float32, ["batch", "seq", 768]))
        let shape = try builder.apply(.shape(), x, name: "shape")
        let int64 = { (values: [Int64], name: String) in
            try builder.constant(try Tensor(shape: [values.count], scalars: values), name: name)
        }
        let zero = try builder.constant(Tensor(scalar: Int64(0)), name: "zero")
        let one = try builder.constant(Tensor(scalar: Int64(1)), name: "one")
        let batch = try builder.apply(.gather(axis: 0), shape, zero, name: "batch")
        let sequence = try builder.apply(.gather(axis: 0), shape, one, name: "seq")
        let axes = try int64([0], "axes")
        let parts = [try builder.apply(.unsqueeze, batch, axes, name: "batch_1d"),
                     try builder.apply(.unsqueeze, sequence, axes, name: "seq_1d"),
                     try int64([12, 64], "heads")]
        let target = try builder.add(.concat(axis: 0), parts, name: "target")[0]
        let reshaped = try builder.apply(.reshape(), x, target, name: "split_heads")
        #expect(reshaped.type.dims == ["batch", "seq", 12, 64])
        let filled = try builder.apply(.constantOfShape(value: Tensor(scalar: Float(1))), target, name: "ones")
        #expect(filled.type.dims == ["batch", "seq", 12, 64])
    }

    @Test func slicingATableToTheSequenceLength() throws {
        var builder = GraphBuilder(name: "positions")
        let ids = try builder.input("ids", TensorType(.int64, ["batch", "seq"]))
        let table = try builder.parameter("position_embeddings.weight", try Tensor(zeros: [512, 16]))
        let length = try builder.apply(.shape(start: 1, end: 2), ids, name: "length")
        let start = try builder.constant(try Tensor(shape: [1], scalars: [Int64(0)]), name: "start")
        let positions = try builder.apply(.slice, table, start, length, name: "positions")
        #expect(positions.type.dims == ["seq", 16])
    }

    /// torchvision's ViT flattens patches to `x.reshape(n, hidden, (h // p) * (w // p))`, and
    /// its attention slices at `embed_dim % heads`-style constants: integer Div and Mod of sizes
    /// are followed, and the target stays symbolic in the batch.
    @Test func patchArithmeticDividesSizes() throws {
        var builder = GraphBuilder(name: "patches")
        let x = try builder.input("x", TensorType(.float32, ["batch", 32, 4, 8]))
        let shape = try builder.apply(.shape(), x, name: "shape")
        let scalar = { (value: Int64, name: String) in try builder.constant(Tensor(scalar: value), name: name) }
        func size(_ axis: Int64) throws -> GraphBuilder.Value {
            try builder.apply(.gather(axis: 0), shape, try scalar(axis, "axis\(axis)"), name: "size\(axis)")
        }
        let patch = try scalar(2, "patch")
        let rows = try builder.apply(.div, try size(2), patch, name: "rows")
        let columns = try builder.apply(.div, try size(3), patch, name: "columns")
        let patches = try builder.apply(.mul, rows, columns, name: "patches")
        let axes = try builder.constant(try Tensor(shape: [1], scalars: [Int64(0)]), name: "axes")
        let hidden = try builder.apply(.binary(.mod()), try scalar(-96, "dividend"), try scalar(64, "divisor"), name: "hidden")
        let target = try builder.add(.concat(axis: 0), [
            try builder.apply(.unsqueeze, try size(0), axes, name: "n"),
            try builder.apply(.unsqueeze, hidden, axes, name: "width_1d"),
            try builder.apply(.unsqueeze, patches, axes, name: "patches_1d"),
        ], name: "target")[0]
        let sized = try builder.apply(.div, target, try scalar(1, "one"), name: "same")
        let filled = try builder.apply(.constantOfShape(value: Tensor(scalar: Float(0))), sized, name: "filled")
        #expect(filled.type.dims == ["batch", 32, 8])
        let reshaped = try builder.apply(.reshape(), try builder.apply(.reduce(.mean, ReduceAttributes(axes: [2], keepDims: false)), x, name: "pool"),
                                         sized, name: "flatten")
        #expect(reshaped.type.dims == ["batch", 32, 8])
    }

    /// Division and Mod of hostile constants (by zero, Int64.min by −1) leave the value
    /// unknown instead of trapping: the Reshape's size is then one known only at run time.
    @Test(arguments: [(Int64.min, Int64(-1)), (Int64(5), Int64(0))])
    func hostileDivisionLeavesTheValueUnknown(dividend: Int64, divisor: Int64) throws {
        for op in [Op.div, .binary(.mod()), .binary(.mod(fmod: true))] {
            var builder = GraphBuilder(name: "hostile")
            let x = try builder.input("x", TensorType(.float32, [2, 3]))
            let quotient = try builder.apply(op, try builder.constant(try Tensor(shape: [1], scalars: [dividend]), name: "a"),
                                             try builder.constant(try Tensor(shape: [1], scalars: [divisor]), name: "b"), name: "q")
            #expect(try builder.apply(.reshape(), x, quotient, name: "reshape").type.dims == [.symbolic("reshape:0")])
        }
    }
}
