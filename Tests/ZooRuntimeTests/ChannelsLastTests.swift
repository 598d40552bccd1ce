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

    /// A one-channel input has the same bytes in both layouts: the conversion is a copy.
    @Test func singleChannelInputIsCopied() throws {
        var builder = GraphBuilder(name: "one_channel")
        let image = try builder.input("image", TensorType(.float32, [1, 1, 6, 6]))
        let x = try builder.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1])), image,
                                  try SampleNetworks.parameter(&builder, "conv.weight", [4, 1, 3, 3], seed: 1), name: "conv")
        try builder.output(try builder.apply(.flatten(axis: 1), x, name: "flatten"))
        try expectMatchesOnnxRuntime(try builder.build(), ["image": try random([1, 1, 6, 6], seed: 2)])
    }
}
