import Testing
import ZooBlocks
import ZooGraph
import ZooModels
import ZooTensor

@Suite struct BlockTests {
    @Test func referenceOutputSizes() throws {
        // REFERENCE.md: ⌊(n − k + 2p + s) / s⌋ per axis.
        let twoFilters = try traceBlock(TensorType(.float32, [1, 3, 6, 6])) { x, t in try Conv2d(2, kernelSize: 3)(x, &t, at: "conv") }
        #expect(twoFilters.outputs[0].type == TensorType(.float32, [1, 2, 4, 4]))
        let strided = try traceBlock(TensorType(.float32, [1, 1, 3, 3])) { x, t in
            try Conv2d(1, kernelSize: 2, stride: Size2D(height: 3, width: 2), padding: 1)(x, &t, at: "conv")
        }
        #expect(strided.outputs[0].type == TensorType(.float32, [1, 1, 2, 2]))
        let pooled = try traceBlock(TensorType(.float32, [1, 1, 4, 4])) { x, t in try MaxPool2d(2)(x, &t, at: "pool") }
        #expect(pooled.outputs[0].type == TensorType(.float32, [1, 1, 2, 2]))
        let sliding = try traceBlock(TensorType(.float32, [1, 1, 5, 5])) { x, t in try MaxPool2d(3, stride: 1)(x, &t, at: "pool") }
        #expect(sliding.outputs[0].type == TensorType(.float32, [1, 1, 3, 3]))
    }

    @Test func convolutionWithAsymmetricPaddingDilationAndGroups() throws {
        let input = TensorType(.float32, [batch, 4, 10, 10])
        let padded = try traceBlock(input) { x, t in
            try Conv2d(6, kernelSize: 3, padding: Padding(top: 1, left: 0, bottom: 2, right: 1))(x, &t, at: "conv")
        }
        // ⌊(n + pBegin + pEnd − k) / s⌋ + 1: height 10 + 3 − 3 + 1 = 11, width 10 + 1 − 3 + 1 = 9.
        #expect(padded.outputs[0].type == TensorType(.float32, [batch, 6, 11, 9]))
        let dilated = try traceBlock(input) { x, t in
            try Conv2d(6, kernelSize: 3, stride: 2, dilation: 2, groups: 2, bias: false)(x, &t, at: "conv")
        }
        // Dilation 2 widens the 3x3 kernel to 5x5: ⌊(10 − 5) / 2⌋ + 1 = 3.
        #expect(dilated.outputs[0].type == TensorType(.float32, [batch, 6, 3, 3]))
        #expect(parameterShapes(dilated) == ["conv.weight": [6, 2, 3, 3]])
    }

    @Test func poolingCeilModeAndCountIncludePad() throws {
        let input = TensorType(.float32, [batch, 1, 112, 112])
        let ceil = try traceBlock(input) { x, t in try MaxPool2d(3, stride: 2, ceilMode: true)(x, &t, at: "pool") }
        let floor = try traceBlock(input) { x, t in try MaxPool2d(3, stride: 2)(x, &t, at: "pool") }
        #expect(ceil.outputs[0].type.dims[2] == 56)
        #expect(floor.outputs[0].type.dims[2] == 55)
        let average = try traceBlock(input) { x, t in try AvgPool2d(3, stride: 1, padding: 1)(x, &t, at: "pool") }
        #expect(average.nodes[0].op == .averagePool(PoolAttributes(kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1],
                                                                    countIncludePad: true)))
    }

    @Test func denseTracesGemmForMatricesAndMatMulAbove() throws {
        let matrix = try traceBlock(TensorType(.float32, [batch, 8])) { x, t in try Dense(4)(x, &t, at: "fc") }
        #expect(matrix.nodes.map(\.op.onnxName) == ["Gemm", "Identity"])
        #expect(matrix.nodes[0].op == .gemm(GemmAttributes(transB: true)))
        #expect(matrix.nodes[0].inputs == ["x", "fc.weight", "fc.bias"])
        let sequence = try traceBlock(TensorType(.float32, [batch, seq, 8])) { x, t in try Dense(4)(x, &t, at: "fc") }
        #expect(sequence.nodes.map(\.name) == ["fc.weight_t", "fc.matmul", "fc", "y"])
        #expect(sequence.outputs[0].type == TensorType(.float32, [batch, seq, 4]))
        #expect(parameterShapes(sequence) == ["fc.weight": [4, 8], "fc.bias": [4]])
    }

    @Test func geluIsTheExactErfForm() throws {
        let graph = try traceBlock(TensorType(.float32, [batch, 3])) { x, t in try Activation.gelu(x, &t, at: "gelu") }
        let computing = graph.nodes.filter { $0.op.onnxName != "Constant" && $0.op != .identity }
        #expect(computing.map(\.op.onnxName) == ["Div", "Erf", "Add", "Mul", "Mul"])
        let constants = graph.nodes.compactMap { node -> Double? in
            if case .constant(let value) = node.op { value.doubleValues[0] } else { nil }
        }
        #expect(constants == [Double(Float(2).squareRoot()), 1, 0.5])
        #expect(computing.last?.name == "gelu")
    }

    @Test func bidirectionalLSTMConcatenatesDirections() throws {
        let lstm = LSTM(hiddenSize: 16, layerCount: 2, bidirectional: true)
        let graph = try traceBlock(TensorType(.float32, [seq, batch, 8])) { x, t in try lstm(x, &t, at: "rnn") }
        #expect(graph.outputs[0].type == TensorType(.float32, [seq, batch, 32]))
        #expect(parameterShapes(graph) == [
            "rnn.0.W": [2, 64, 8], "rnn.0.R": [2, 64, 16], "rnn.0.B": [2, 128],
            "rnn.1.W": [2, 64, 32], "rnn.1.R": [2, 64, 16], "rnn.1.B": [2, 128],
        ])
        let types = try graph.valueTypes()
        #expect(types["rnn.0"] == TensorType(.float32, [seq, 2, batch, 16]))
        #expect(graph.nodes.first { $0.name == "rnn.1" }?.op == .lstm(LSTMAttributes(hiddenSize: 16, direction: .bidirectional)))
    }

    @Test func residualBlocksNameNodesByPath() throws {
        let graph = try traceBlock(TensorType(.float32, [batch, 64, 8, 8])) { x, t in
            try BasicBlock(channels: 128, stride: 2)(x, &t, at: "layer2.0")
        }
        #expect(graph.nodes.map(\.name) == [
            "layer2.0.conv1", "layer2.0.bn1", "layer2.0.relu", "layer2.0.conv2", "layer2.0.bn2",
            "layer2.0.downsample.0", "layer2.0.downsample.1", "layer2.0.add", "layer2.0.relu_1", "y",
        ])
        #expect(graph.outputs[0].type == TensorType(.float32, [batch, 128, 4, 4]))
    }

    @Test func scalarMixIsASoftmaxWeightedSumScaledByGamma() throws {
        var tracer = Tracer(graphName: "mix")
        let type = TensorType(.float32, [seq, batch, 4])
        let layers = try (0..<3).map { try tracer.input("h\($0)", type) }
        let mixed = try tracer.scope("scalar_mix") { tracer in try ScalarMix()(layers, &tracer) }
        try tracer.output(mixed, as: "y")
        let graph = try tracer.build()
        #expect(graph.outputs[0].type == type)
        #expect(parameterShapes(graph) == ["scalar_mix.scalar_parameters.0": [1], "scalar_mix.scalar_parameters.1": [1],
                                           "scalar_mix.scalar_parameters.2": [1], "scalar_mix.gamma": [1]])
        #expect(graph.nodes.first { $0.name == "scalar_mix.weights" }?.op == .softmax(axis: 0))
    }

    @Test func sliceWithRuntimeBoundsKeepsOtherAxes() throws {
        // The IR change behind BERT's position embeddings: Slice ends computed from a Shape.
        let types = try model("bert-tiny").valueTypes()
        let positions = types["embeddings.position_embeddings"]!
        #expect(positions.dims[1] == 128)
        #expect(positions.dims[0].value == nil)
    }
}
