import Testing
import ZooGraph
import ZooTensor

/// Shapes of the data movement and indexing ops (MovementOp), symbolic where the operands
/// leave an axis alone, and their errors, which name the node and what is wrong.
@Suite struct MovementShapeTests {
    private var builder = GraphBuilder(name: "movement")

    private mutating func integers(_ values: [Int], shape: [Int]? = nil, name: String) throws -> GraphBuilder.Value {
        try builder.constant(try Tensor(shape: shape ?? [values.count], scalars: values.map { Int64($0) }), name: name)
    }

    @Test mutating func padKeepsUnpaddedSymbolsAndCrops() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 3, 5, "width"]))
        let pads = try integers([0, 0, 1, 0, 0, -1, 2, 0], name: "pads")
        #expect(try builder.apply(.movement(.pad(.constant)), x, pads, name: "pad").type.dims == ["batch", 2, 8, "width"])
        // A padded symbolic axis gets a fresh size; the axes input picks the padded axes.
        let axes = try integers([-1], name: "axes")
        let widened = try builder.apply(.movement(.pad(.reflect)), x, try integers([1, 1], name: "p2"), nil, axes, name: "wide")
        #expect(widened.type.dims[..<3] == ["batch", 3, 5])
        #expect(widened.type.dims[3] != "width")
        #expect(throws: GraphError.shape(node: "crop", op: "Pad", message: "axis 2: pads -4, -2 crop more than the axis holds (5)")) {
            try builder.apply(.movement(.pad(.constant)), x, try integers([0, 0, -4, 0, 0, 0, -2, 0], name: "p3"), name: "crop")
        }
        #expect(throws: GraphError.shape(node: "edge", op: "Pad", message: "axis 1: edge padding needs at least one input element, but the axis keeps none")) {
            try builder.apply(.movement(.pad(.edge)), x, try integers([0, -3, 0, 0, 0, 1, 0, 0], name: "p4"), name: "edge")
        }
    }

    /// Sizes computed in ways shape inference does not follow give fresh symbols; the
    /// executor folds them once shapes are known (MovementRuntimeSizeTests).
    @Test mutating func sizesNotKnownHereGiveFreshSymbols() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 3]))
        let pads = try builder.input("pads", TensorType(.int64, [4]))
        let padded = try builder.apply(.movement(.pad(.constant)), x, pads, name: "pad")
        #expect(padded.type.rank == 2 && padded.type.dims.allSatisfy { $0 != "batch" && $0.value == nil })
        let sizes = try builder.input("sizes", TensorType(.int64, [2]))
        let parts = try builder.add(.movement(.split(axis: 1, numOutputs: nil)), [x, sizes], name: "split", outputCount: 2)
        #expect(parts.map { $0.type.dims[0] } == ["batch", "batch"] && parts.allSatisfy { $0.type.dims[1].value == nil })
    }

    @Test mutating func splitChunksAndSizes() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 7]))
        let chunks = try builder.add(.movement(.split(axis: 1, numOutputs: 3)), [x], name: "chunks", outputCount: 3)
        #expect(chunks.map(\.type.dims) == [["batch", 3], ["batch", 3], ["batch", 1]])
        let byBatch = try builder.add(.movement(.split(axis: 0, numOutputs: nil)), [x], name: "rows", outputCount: 2)
        #expect(byBatch[0].type.dims[1] == 7 && byBatch[0].type.dims[0] != "batch")
        #expect(throws: GraphError.shape(node: "bad", op: "Split", message: "split [3, 3] sums to 6, but axis 1 of float32[batch,7] has 7")) {
            try builder.add(.movement(.split(axis: 1, numOutputs: nil)), [x, try integers([3, 3], name: "sizes")], name: "bad", outputCount: 2)
        }
    }

    @Test mutating func tileAndBlockRearrangements() throws {
        let x = try builder.input("x", TensorType(.float32, ["batch", 8, 2, 3]))
        #expect(try builder.apply(.movement(.tile), x, try integers([1, 2, 1, 3], name: "repeats"), name: "tile").type.dims
                == ["batch", 16, 2, 9])
        #expect(try builder.apply(.movement(.depthToSpace(blockSize: 2, mode: .columnRowDepth)), x, name: "d2s").type.dims
                == ["batch", 2, 4, 6])
        let space = try builder.apply(.movement(.depthToSpace(blockSize: 2, mode: .depthColumnRow)), x, name: "space")
        #expect(try builder.apply(.movement(.spaceToDepth(blockSize: 2, mode: .depthColumnRow)), space, name: "s2d").type == x.type)
        #expect(throws: GraphError.shape(node: "odd", op: "SpaceToDepth", message: "axis 3 of float32[batch,8,2,3] is not a multiple of 2")) {
            try builder.apply(.movement(.spaceToDepth(blockSize: 2, mode: .depthColumnRow)), x, name: "odd")
        }
    }

    @Test mutating func indexingOps() throws {
        let data = try builder.input("data", TensorType(.float32, ["batch", 5]))
        let indices = try builder.input("indices", TensorType(.int64, ["batch", 2]))
        #expect(try builder.apply(.movement(.gatherElements(axis: 1)), data, indices, name: "gather").type
                == TensorType(.float32, ["batch", 2]))
        let updates = try builder.input("updates", TensorType(.float32, ["batch", 2]))
        #expect(try builder.apply(.movement(.scatterElements(axis: 1, reduction: .add)), data, indices, updates, name: "scatter").type
                == data.type)
        let depth = try integers([10], shape: [], name: "depth")
        let values = try builder.constant(try Tensor(shape: [2], scalars: [Float(0), 1]), name: "values")
        #expect(try builder.apply(.movement(.oneHot(axis: 1)), indices, depth, values, name: "onehot").type
                == TensorType(.float32, ["batch", 10, 2]))
        let flat = try builder.input("flat", TensorType(.int64, ["batch"]))
        #expect(throws: GraphError.shape(node: "rank", op: "GatherElements", message: "indices int64[batch] must have the rank of data float32[batch,5]")) {
            try builder.apply(.movement(.gatherElements(axis: 0)), data, flat, name: "rank")
        }
    }

    @Test mutating func sizeIsAConstantOfStaticShapes() throws {
        let fixed = try builder.input("fixed", TensorType(.float32, [2, 3, 4]))
        let symbolic = try builder.input("symbolic", TensorType(.float32, ["batch", 3]))
        _ = try builder.apply(.movement(.size), fixed, name: "fixedSize")
        _ = try builder.apply(.movement(.size), symbolic, name: "symbolicSize")
        try builder.output(try builder.apply(.add, try builder.apply(.movement(.size), fixed, name: "again"),
                                             try builder.apply(.movement(.size), symbolic, name: "other"), name: "sum"))
        let inferred = try ShapeInference.run(try builder.build())
        #expect(inferred.constants["fixedSize"] == Tensor(scalar: Int64(24)))
        #expect(inferred.constants["symbolicSize"] == nil)
        #expect(inferred.types["symbolicSize"] == TensorType(.int64, []))
    }
}
