import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// The channels-last layout pass: convolutions, pools, elementwise ops and Concat between
/// them run on NHWC activations, with conversions only at the chain's ends.
@Suite struct ChannelsLastTests {
    static let inputs: @Sendable () throws -> [String: Tensor] = { ["image": try random([2, 3, 11, 11], seed: 9)] }

    @Test func chainMatchesOnnxRuntime() throws {
        try expectMatchesOnnxRuntime(try SampleNetworks.channelsLastCNN(), try Self.inputs())
    }

    @Test func chainMatchesPlainLayout() throws {
        let graph = try SampleNetworks.channelsLastCNN(), inputs = try Self.inputs()
        let plain = try Session(graph: graph, options: SessionOptions(passes: GraphPass.defaultPipeline.filter { $0 != .channelsLastLayout }))
        expectClose(try Session(graph: graph).run(inputs), try plain.run(inputs), "channels-last vs plain")
    }

    /// One conversion into NHWC after the input, one back before Flatten: nothing in between.
    @Test func convertsOnlyAtTheChainsEnds() throws {
        let graph = try SampleNetworks.channelsLastCNN(), inputs = try Self.inputs()
        let nodes = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape)).nodes
        #expect(nodes.filter { $0.contains("#") } == ["image#nhwc", "concat#nchw"], "\(nodes)")
    }

    /// A mobile block: ReLU6 and SiLU fuse into their convolutions, and the squeeze-excitation
    /// gate ([N, C, 1, 1], the same bytes in either layout) and a per-channel constant scale
    /// multiply NHWC activations in place, so nothing converts but the input, and only the
    /// two Muls remain as nodes of their own. Checked against onnxruntime and the plain layout.
    @Test func mobileBlockRunsChannelsLastWithFusedActivations() throws {
        let graph = try SampleNetworks.mobileBlockCNN(), inputs = ["image": try random([2, 3, 10, 10], seed: 12, low: -2, high: 2)]
        try expectMatchesOnnxRuntime(graph, inputs)
        let plain = try Session(graph: graph, options: SessionOptions(passes: GraphPass.defaultPipeline.filter { $0 != .channelsLastLayout }))
        expectClose(try Session(graph: graph).run(inputs), try plain.run(inputs), "channels-last vs plain")
        let nodes = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape)).nodes
        #expect(nodes.filter { $0.contains("#") } == ["image#nhwc"], "\(nodes)")
        #expect(!nodes.contains("expand.relu6") && !nodes.contains("depthwise.silu") && !nodes.contains("se.sigmoid"), "\(nodes)")
        #expect(nodes.contains("se.scale") && nodes.contains("layer_scale.mul"), "\(nodes)")
    }

    /// A one-channel convolution in a chain writes NHWC itself: 10 columns (a short row), 28
    /// (a run of 16 and an overlapping one), 49 (a run of 32 and two of 16); 13 filters are
    /// blocks of 6, 6 and 1. Checked against onnxruntime and the plain layout.
    @Test(arguments: [10, 28, 49]) func singleChannelConvolutionWritesChannelsLast(width: Int) throws {
        var builder = GraphBuilder(name: "grayscale")
        let image = try builder.input("image", TensorType(.float32, [2, 1, 9, .fixed(width + 2)]))
        var x = try builder.apply(.conv(ConvAttributes(pads: [1, 0, 0, 1])), image,
                                  try SampleNetworks.parameter(&builder, "conv1.weight", [13, 1, 3, 4], seed: 1),
                                  try SampleNetworks.parameter(&builder, "conv1.bias", [13], seed: 2), name: "conv1")
        x = try builder.apply(.tanh, x, name: "conv1.tanh")
        x = try builder.apply(.conv(ConvAttributes()), x,
                              try SampleNetworks.parameter(&builder, "conv2.weight", [3, 13, 1, 1], seed: 3), name: "conv2")
        try builder.output(try builder.apply(.flatten(axis: 1), x, name: "flatten"))
        let graph = try builder.build(), inputs = ["image": try random([2, 1, 9, width + 2], seed: 4, low: -3, high: 3)]
        try expectMatchesOnnxRuntime(graph, inputs)
        let plain = try Session(graph: graph, options: SessionOptions(passes: GraphPass.defaultPipeline.filter { $0 != .channelsLastLayout }))
        expectClose(try Session(graph: graph).run(inputs), try plain.run(inputs), "channels-last vs plain")
        let summary = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape))
        #expect(summary.kernels.contains("SingleChannelConvolutionKernel") && summary.nodes.filter { $0.contains("#") } == ["image#nhwc", "conv2#nchw"],
                "\(summary.nodes) \(summary.kernels)")
    }

    /// A one-channel input has the same bytes in both layouts: the conversion is a copy.
    /// (Stride 2: a stride-1 one-channel Conv runs plain, on SingleChannelConvolutionKernel.)
    @Test func singleChannelInputIsCopied() throws {
        var builder = GraphBuilder(name: "one_channel")
        let image = try builder.input("image", TensorType(.float32, [1, 1, 6, 6]))
        let x = try builder.apply(.conv(ConvAttributes(strides: [2, 2], pads: [1, 1, 1, 1])), image,
                                  try SampleNetworks.parameter(&builder, "conv.weight", [4, 1, 3, 3], seed: 1), name: "conv")
        try builder.output(try builder.apply(.flatten(axis: 1), x, name: "flatten"))
        let graph = try builder.build()
        try expectMatchesOnnxRuntime(graph, ["image": try random([1, 1, 6, 6], seed: 2)])
        let kernels = try Session(graph: graph).summary(inputShapes: ["image": [1, 1, 6, 6]]).kernels
        #expect(kernels.contains("ConvolutionKernel"), "\(kernels)")
    }

    /// A character CNN's max over time: convolutions, then ReduceMax (or Mean) over width,
    /// or height and width, read NHWC and written plain, with no conversion between (32
    /// channels: two full vectors; 37: a vector and a tail). Checked against onnxruntime,
    /// and with a NaN in the input against the plain-layout kernel, since onnxruntime's
    /// ReduceMax drops NaNs while ours propagate them (numpy's rule).
    @Test(arguments: [(axes: [3], keepDims: false, channels: 32), (axes: [-1, -2], keepDims: true, channels: 37),
                      (axes: [3], keepDims: true, channels: 37)])
    func reductionAfterConvolution(axes: [Int], keepDims: Bool, channels: Int) throws {
        for isMax in [true, false] {
            var builder = GraphBuilder(name: "char_cnn")
            let image = try builder.input("chars", TensorType(.float32, [2, 16, 5, 12]))
            let conv = try builder.apply(.conv(ConvAttributes()), image,
                                         try SampleNetworks.parameter(&builder, "conv.weight", [channels, 16, 1, 3], seed: 3), name: "conv")
            let attributes = ReduceAttributes(axes: axes, keepDims: keepDims)
            let reduced = try builder.apply(.reduce(isMax ? .max : .mean, attributes), conv, name: "reduce")
            try builder.output(try builder.apply(.tanh, reduced, name: "activation"))
            let graph = try builder.build()
            var chars = try random([2, 16, 5, 12], seed: 4)
            try expectMatchesOnnxRuntime(graph, ["chars": chars])
            let summary = try Session(graph: graph).summary(inputShapes: ["chars": chars.shape])
            #expect(summary.nodes.filter { $0.contains("#") } == ["chars#nhwc"], "\(summary.nodes)")
            #expect(summary.kernels.contains("ChannelsLastReduceKernel"), "\(summary.kernels)")

            chars.withUnsafeMutableBytes { $0.bindMemory(to: Float.self)[16 * 5 * 12 + 7] = .nan }
            let plain = try Session(graph: graph, options: SessionOptions(passes: GraphPass.defaultPipeline.filter { $0 != .channelsLastLayout }))
            let result = try Session(graph: graph).run(["chars": chars])
            expectClose(result, try plain.run(["chars": chars]), "channels-last vs plain, with a NaN")
            #expect(result["activation"]?.doubleValues.contains(where: \.isNaN) == true)
        }
    }
}
