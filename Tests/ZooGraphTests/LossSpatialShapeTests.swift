import Testing
import ZooGraph
import ZooTensor

/// Shapes of the losses and of GridSample, AffineGrid and Col2Im, symbolic where the inputs
/// are, and their errors, which name the node and what is wrong.
@Suite struct LossSpatialShapeTests {
    private var builder = GraphBuilder(name: "shapes")

    private mutating func integers(_ values: [Int], name: String) throws -> GraphBuilder.Value {
        try builder.constant(try Tensor(shape: [values.count], scalars: values.map { Int64($0) }), name: name)
    }

    @Test mutating func lossesKeepTheLabelsShapeOrReduceToAScalar() throws {
        let scores = try builder.input("scores", TensorType(.float32, ["batch", 10, "seq"]))
        let labels = try builder.input("labels", TensorType(.int64, ["batch", "seq"]))
        let outputs = try builder.add(.loss(LossAttributes(kind: .softmaxCrossEntropy, reduction: .none)), [scores, labels], name: "sce", outputCount: 2)
        #expect(outputs.map(\.type) == [TensorType(.float32, ["batch", "seq"]), TensorType(.float32, ["batch", 10, "seq"])])
        let mean = try builder.apply(.loss(LossAttributes(kind: .negativeLogLikelihood)), scores, labels, name: "nll")
        #expect(mean.type == TensorType(.float32, []))
        let wrongLabels = try builder.input("wrong", TensorType(.int64, ["batch"]))
        #expect(throws: GraphError.shape(node: "bad", op: "NegativeLogLikelihoodLoss",
                                         message: "labels 'wrong' must be int64[batch,seq] for scores float32[batch,10,seq], got int64[batch]")) {
            try builder.apply(.loss(LossAttributes(kind: .negativeLogLikelihood)), scores, wrongLabels, name: "bad")
        }
        let weights = try builder.input("weights", TensorType(.float32, [9]))
        #expect(throws: GraphError.shape(node: "weighted", op: "SoftmaxCrossEntropyLoss",
                                         message: "weights 'weights' must be [10], one per class, got float32[9]")) {
            try builder.apply(.loss(LossAttributes(kind: .softmaxCrossEntropy)), scores, labels, weights, name: "weighted")
        }
    }

    @Test mutating func gridSampleTakesTheGridsPointsAndTheImagesChannels() throws {
        let image = try builder.input("image", TensorType(.float32, ["batch", 3, 32, 32]))
        let grid = try builder.input("grid", TensorType(.float32, ["batch", "h", 7, 2]))
        #expect(try builder.apply(.spatial(.gridSample(GridSampleAttributes())), image, grid, name: "sample").type.dims == ["batch", 3, "h", 7])
        let volumeGrid = try builder.input("volume", TensorType(.float32, ["batch", 2, 2, 2, 3]))
        #expect(throws: GraphError.shape(node: "mismatch", op: "GridSample",
                                         message: "grid 'volume' must be [N, …, …, 2] for X float32[batch,3,32,32], got float32[batch,2,2,2,3]")) {
            try builder.apply(.spatial(.gridSample(GridSampleAttributes())), image, volumeGrid, name: "mismatch")
        }
    }

    @Test mutating func affineGridReadsItsSizeAndRefusesNegativeOnes() throws {
        let theta = try builder.input("theta", TensorType(.float32, [2, 3, 4]))
        #expect(try builder.apply(.spatial(.affineGrid(alignCorners: false)), theta, try integers([2, 1, 4, 5, 6], name: "size"),
                                  name: "grid").type.dims == [2, 4, 5, 6, 3])
        #expect(throws: GraphError.shape(node: "negative", op: "AffineGrid",
                                         message: "size [2, 1, -4, 5, 6] must hold 5 sizes (not negative) [N, C, spatial…] for theta float32[2,3,4]")) {
            try builder.apply(.spatial(.affineGrid(alignCorners: false)), theta, try integers([2, 1, -4, 5, 6], name: "bad"), name: "negative")
        }
    }

    @Test mutating func col2ImChecksItsColumnsAgainstTheGeometry() throws {
        let columns = try builder.input("columns", TensorType(.float32, ["batch", 12, 21]))
        let attributes = Col2ImAttributes(dilations: [2, 1], pads: [1, 0, 2, 1], strides: [1, 2])
        #expect(try builder.apply(.spatial(.col2Im(attributes)), columns, try integers([6, 7], name: "image"), try integers([2, 3], name: "block"),
                                  name: "fold").type.dims == ["batch", 2, 6, 7])
        #expect(throws: GraphError.shape(node: "short", op: "Col2Im",
                                         message: "input float32[batch,12,21] holds 21 columns; image_shape [6, 8] and block_shape [2, 3] with these strides, pads and dilations give 28")) {
            try builder.apply(.spatial(.col2Im(attributes)), columns, try integers([6, 8], name: "image2"), try integers([2, 3], name: "block2"), name: "short")
        }
    }
}
