import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// Each pass leaves the outputs unchanged within tolerance, and actually fires on the
/// sample networks (the plan has fewer nodes with it than without).
@Suite struct PassTests {
    static let residualInputs: @Sendable () throws -> [String: Tensor] = { ["image": try random([2, 3, 9, 9], seed: 7)] }
    static let transformerInputs: @Sendable () throws -> [String: Tensor] = { ["hidden_states": try random([2, 5, 16], seed: 8)] }

    struct Case: CustomTestStringConvertible, Sendable {
        let pass: GraphPass
        let network: @Sendable () throws -> Graph
        let inputs: @Sendable () throws -> [String: Tensor]
        /// Passes the pattern needs first (ReLU follows BatchNorm until BN is folded).
        var prerequisites: [GraphPass] = []
        var testDescription: String { "\(pass)" }
    }

    static let cases: [Case] = [
        Case(pass: .identityRemoval, network: SampleNetworks.residualCNN, inputs: residualInputs),
        Case(pass: .batchNormFolding, network: SampleNetworks.residualCNN, inputs: residualInputs),
        Case(pass: .activationFusion, network: SampleNetworks.residualCNN, inputs: residualInputs,
             prerequisites: [.batchNormFolding]),
        Case(pass: .matMulBiasFusion, network: { try SampleNetworks.transformerBlock() }, inputs: transformerInputs),
        Case(pass: .deadNodeRemoval, network: { try SampleNetworks.transformerBlock() }, inputs: transformerInputs),
    ]

    /// Constant folding is the base of every comparison: the transformer's Reshapes need it.
    @Test(arguments: cases) func passKeepsOutputsAndFires(_ testCase: Case) throws {
        let graph = try testCase.network(), inputs = try testCase.inputs()
        let shapes = inputs.mapValues(\.shape)
        let before = [.constantFolding] + testCase.prerequisites
        let baseline = try Session(graph: graph, options: SessionOptions(passes: before))
        let rewritten = try Session(graph: graph, options: SessionOptions(passes: before + [testCase.pass]))
        expectClose(try rewritten.run(inputs), try baseline.run(inputs), "\(testCase.pass)")
        #expect(try rewritten.summary(inputShapes: shapes).nodes.count < baseline.summary(inputShapes: shapes).nodes.count)
    }

    @Test func geluFusionKeepsOutputsAndFires() throws {
        let graph = try SampleNetworks.transformerBlock(), inputs = try Self.transformerInputs()
        let before: [GraphPass] = [.constantFolding, .matMulBiasFusion]
        let baseline = try Session(graph: graph, options: SessionOptions(passes: before))
        let fused = try Session(graph: graph, options: SessionOptions(passes: before + [.geluFusion]))
        expectClose(try fused.run(inputs), try baseline.run(inputs), "gelu")
        let nodes = try fused.summary(inputShapes: inputs.mapValues(\.shape)).nodes
        #expect(!nodes.contains("gelu.erf") && nodes.contains("intermediate"), "\(nodes)")
    }

    /// A Gelu node (opset 20's op, exact form) after a MatMul becomes its gelu_erf post-op too.
    @Test func geluNodeFusesIntoItsProducer() throws {
        var builder = GraphBuilder(name: "gelu_node")
        let x = try builder.input("x", TensorType(.float32, ["batch", 8]))
        let product = try builder.apply(.matMul, x, try builder.parameter("w", try random([8, 5], seed: 170)), name: "product")
        try builder.output(try builder.apply(.unary(.gelu()), product, name: "gelu"))
        let graph = try builder.build(), inputs = ["x": try random([3, 8], seed: 171, low: -3, high: 3)]
        let baseline = try Session(graph: graph, options: SessionOptions(passes: []))
        let fused = try Session(graph: graph, options: SessionOptions(passes: [.geluFusion]))
        expectClose(try fused.run(inputs), try baseline.run(inputs), "gelu node")
        #expect(try fused.summary(inputShapes: ["x": [3, 8]]).nodes == ["product"])
    }

    /// Shape→Gather→Unsqueeze→Concat chains fold away once shapes are fixed.
    @Test func constantFoldingRemovesShapeChains() throws {
        let graph = try SampleNetworks.transformerBlock()
        let nodes = try Session(graph: graph).summary(inputShapes: ["hidden_states": [3, 7, 16]]).nodes
        #expect(!nodes.contains("shape") && !nodes.contains("unflat_shape") && !nodes.contains("batch_1d"), "\(nodes)")
    }

    @Test(arguments: ["residual", "transformer"])
    func fullPipelineMatchesOnnxRuntime(network: String) throws {
        let (graph, inputs) = network == "residual"
            ? (try SampleNetworks.residualCNN(), try Self.residualInputs())
            : (try SampleNetworks.transformerBlock(), try Self.transformerInputs())
        try expectMatchesOnnxRuntime(graph, inputs)
        let nodes = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape)).nodes
        let expected = network == "residual" ? ["image#nhwc", "conv1", "conv2", "pool", "flatten", "fc"] : ["flatten_tokens", "intermediate", "output", "unflatten_tokens", "LayerNorm"]
        #expect(nodes == expected)
    }

    /// Re-planning for new shapes: a second batch and sequence size still match.
    @Test func newInputShapesGetTheirOwnPlan() throws {
        let session = try Session(graph: try SampleNetworks.transformerBlock())
        for (batch, seq) in [(2, 5), (1, 9), (2, 5)] {
            let inputs = ["hidden_states": try random([batch, seq, 16], seed: UInt64(batch * 10 + seq))]
            expectClose(try session.run(inputs), try OnnxRuntimeReference.run(session.graph, inputs), "batch \(batch) seq \(seq)")
        }
    }

    /// A small-batch classifier layer, Gemm + bias + activation fused, runs as matrix-vector
    /// products with the activation applied as each share of outputs is finished: 1 row
    /// (ReLU) and 6 rows (sigmoid, tanh) against 512 x 512 weights (1 MiB, the most the 5-8
    /// row case takes; on all threads), with a bias wide enough to saturate both.
    @Test(arguments: [(rows: 1, activation: "Relu"), (rows: 6, activation: "Sigmoid"), (rows: 6, activation: "Tanh")])
    func matrixVectorGemmWithFusedActivation(rows: Int, activation: String) throws {
        let activations: [String: Op] = ["Sigmoid": .sigmoid, "Tanh": .tanh, "Relu": .relu]
        var builder = GraphBuilder(name: "classifier")
        let x = try builder.input("features", TensorType(.float32, [.fixed(rows), 512]))
        let y = try builder.apply(.gemm(GemmAttributes(transB: true)), x,
                                  try SampleNetworks.parameter(&builder, "fc.weight", [512, 512], seed: 5, low: -0.1, high: 0.1),
                                  try SampleNetworks.parameter(&builder, "fc.bias", [512], seed: 6, low: -6, high: 6), name: "fc")
        try builder.output(try builder.apply(activations[activation]!, y, name: "activation"))
        let graph = try builder.build()
        try expectMatchesOnnxRuntime(graph, ["features": try random([rows, 512], seed: 7)])
        #expect(try Session(graph: graph).summary(inputShapes: ["features": [rows, 512]]).kernels == ["MatrixVectorKernel"])
    }

    /// LeNet's shape: an activation after each convolution and dense layer becomes part of
    /// its producer: of the one-channel convolution kernel, of oneDNN's primitives (batch 10),
    /// or of the matrix-vector kernel (batch 1). Inputs are wide enough to reach both
    /// saturated ends of sigmoid and tanh.
    @Test(arguments: [(batch: 1, first: "Sigmoid"), (batch: 10, first: "Tanh"), (batch: 10, first: "Relu")])
    func activationsFuseIntoTheirProducers(batch: Int, first: String) throws {
        let activations: [String: Op] = ["Sigmoid": .sigmoid, "Tanh": .tanh, "Relu": .relu]
        var builder = GraphBuilder(name: "saturating")
        let image = try builder.input("image", TensorType(.float32, ["batch", 1, 7, 7]))
        var x = try builder.apply(.conv(ConvAttributes()), image,
                                  try SampleNetworks.parameter(&builder, "conv1.weight", [5, 1, 3, 3], seed: 1, low: -3, high: 3),
                                  try SampleNetworks.parameter(&builder, "conv1.bias", [5], seed: 2), name: "conv1")
        x = try builder.apply(activations[first]!, x, name: "conv1.activation")
        x = try builder.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1])), x,
                              try SampleNetworks.parameter(&builder, "conv2.weight", [4, 5, 3, 3], seed: 3, low: -2, high: 2),
                              name: "conv2")
        x = try builder.apply(.sigmoid, x, name: "conv2.activation")
        x = try builder.apply(.flatten(axis: 1), x, name: "flatten")
        x = try builder.apply(.gemm(GemmAttributes(transB: true)), x,
                              try SampleNetworks.parameter(&builder, "fc1.weight", [40, 100], seed: 4, low: -1, high: 1),
                              try SampleNetworks.parameter(&builder, "fc1.bias", [40], seed: 5, low: -3, high: 3), name: "fc1")
        x = try builder.apply(.tanh, x, name: "fc1.activation")
        x = try builder.apply(.gemm(GemmAttributes(transB: true)), x,
                              try SampleNetworks.parameter(&builder, "fc2.weight", [6, 40], seed: 6), name: "fc2")
        try builder.output(try builder.apply(.sigmoid, x, name: "fc2.activation"))
        let graph = try builder.build()
        let inputs = ["image": try random([batch, 1, 7, 7], seed: 7, low: -2, high: 2)]
        try expectMatchesOnnxRuntime(graph, inputs)
        let summary = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape))
        #expect(summary.nodes.filter { $0.hasSuffix("activation") } == [], "\(summary.nodes)")
        let dense = batch == 1 ? "MatrixVectorKernel" : "MatMulKernel"
        #expect(summary.kernels == ["LayoutReorderKernel", "SingleChannelConvolutionKernel", "ConvolutionKernel", "LayoutReorderKernel", "CopyKernel", dense, dense],
                "\(summary.kernels)")
    }
}
