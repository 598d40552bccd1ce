import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// padFolding: a zero Pad of the spatial axes feeding a Conv becomes the Conv's padding,
/// and the outputs stay those of onnxruntime on the unfolded graph; a Pad the contract
/// excludes (a non-zero fill, a negative pad) stays.
@Suite struct PadFoldingTests {
    static func network(pads: [Int], fill: Float) throws -> Graph {
        var builder = GraphBuilder(name: "pad-conv")
        let x = try builder.input("x", TensorType(.float32, ["batch", 3, 9, 8]))
        let padsValue = try builder.constant(try Tensor(shape: [8], scalars: pads.map { Int64($0) }), name: "pads")
        let fillValue = try builder.constant(Tensor(scalar: fill), name: "fill")
        let padded = try builder.apply(.movement(.pad(.constant)), x, padsValue, fillValue, name: "pad")
        let weight = try builder.parameter("conv.weight", try random([4, 3, 3, 3], seed: 3))
        let attributes = ConvAttributes(strides: [2, 2], pads: [1, 0, 0, 1])
        try builder.output(try builder.apply(.conv(attributes), padded, weight, name: "conv"))
        return try builder.build()
    }

    @Test(arguments: [([0, 0, 0, 1, 0, 0, 1, 0], Float(0), true), ([0, 0, 2, 1, 0, 0, 1, 3], Float(0), true),
                      ([0, 0, 1, 1, 0, 0, 1, 1], Float(0.5), false), ([0, 0, -1, 1, 0, 0, 1, 1], Float(0), false)])
    func zeroSpatialPadsFoldIntoTheConvolution(pads: [Int], fill: Float, folds: Bool) throws {
        let graph = try Self.network(pads: pads, fill: fill)
        let inputs = ["x": try random([2, 3, 9, 8], seed: 4)]
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: [.constantFolding, .padFolding]))
        let kernels = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape)).kernels
        #expect(kernels.contains("PadKernel") == !folds, "\(kernels)")
    }
}
