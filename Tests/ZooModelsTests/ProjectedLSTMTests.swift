import Testing
import ZooBlocks
import ZooGraph
import ZooModels

/// The projected LSTM (a Scan per layer and direction) and ELMo, which uses it.
@Suite struct ProjectedLSTMTests {
    /// H = 6 cells, P = 4 projection, I = 5 inputs, two layers, both directions.
    private let lstm = LSTM(hiddenSize: 6, layerCount: 2, bidirectional: true, projectionSize: 4, cellClip: 3, projectionClip: 3)

    @Test func bidirectionalLayersDeclarePerDirectionParameters() throws {
        let graph = try traceBlock(TensorType(.float32, [seq, batch, 5])) { x, t in try lstm(x, &t, at: "rnn") }
        #expect(graph.outputs[0].type == TensorType(.float32, [seq, batch, 8]))
        var expected: [String: [Int]] = [:]
        for (layer, inputSize) in [(0, 5), (1, 8)] {
            for direction in ["forward", "reverse"] {
                let prefix = "rnn.\(layer).\(direction)"
                expected["\(prefix).W"] = [24, inputSize]
                expected["\(prefix).R"] = [24, 4]
                expected["\(prefix).B"] = [24]
                expected["\(prefix).P"] = [4, 6]
            }
        }
        #expect(parameterShapes(graph) == expected)
    }

    @Test func eachDirectionIsAScanReadingItsWeightsFromTheEnclosingGraph() throws {
        let graph = try traceBlock(TensorType(.float32, [seq, batch, 5])) { x, t in try lstm(x, &t, at: "rnn") }
        let scans = graph.nodes.compactMap { node -> (Node, ScanAttributes)? in
            if case .scan(let attributes) = node.op { (node, attributes) } else { nil }
        }
        #expect(scans.map(\.0.name) == ["rnn.0.forward", "rnn.0.reverse", "rnn.1.forward", "rnn.1.reverse"])
        #expect(scans.map(\.1.scanInputDirections) == [nil, [1], nil, [1]])
        #expect(scans.map(\.1.scanOutputDirections) == [nil, [1], nil, [1]])
        let (reverse, attributes) = scans[1]
        #expect(reverse.inputs == ["rnn.initial_h", "rnn.initial_c", "x"])
        #expect(Set(reverse.implicitInputs) == ["rnn.0.reverse.W", "rnn.0.reverse.R", "rnn.0.reverse.B", "rnn.0.reverse.P"])
        let body = attributes.body
        #expect(body.inputs.map(\.type) == [TensorType(.float32, [batch, 4]), TensorType(.float32, [batch, 6]),
                                            TensorType(.float32, [batch, 5])])
        #expect(body.outputs.map(\.name) == ["rnn.0.reverse.projection_clip", "rnn.0.reverse.cell_clip", "rnn.0.reverse.output"])
        #expect(body.nodes.map(\.op.onnxName).filter { $0 != "Constant" } == [
            "Gemm", "Gemm", "Slice", "Sigmoid", "Slice", "Sigmoid", "Slice", "Sigmoid", "Slice", "Tanh",
            "Mul", "Mul", "Add", "Clip", "Tanh", "Mul", "Gemm", "Clip", "Identity",
        ])
        let types = try graph.valueTypes()
        #expect(types["rnn.0.reverse:0"] == TensorType(.float32, [batch, 4]))
        #expect(types["rnn.0.reverse:1"] == TensorType(.float32, [batch, 6]))
        #expect(types["rnn.0.reverse:2"] == TensorType(.float32, [seq, batch, 4]))
    }

    @Test func unidirectionalLayersNeedNoDirectionLevel() throws {
        let reverse = LSTM(hiddenSize: 6, layerCount: 1, reverse: true, projectionSize: 4)
        let graph = try traceBlock(TensorType(.float32, [seq, batch, 5])) { x, t in try reverse(x, &t, at: "rnn") }
        #expect(parameterShapes(graph) == ["rnn.0.W": [24, 5], "rnn.0.R": [24, 4], "rnn.0.B": [24], "rnn.0.P": [4, 6]])
        #expect(graph.nodes.contains { $0.name == "rnn.0" && $0.op.onnxName == "Scan" })
        #expect(!graph.nodes.contains { $0.op == .clip })
    }

    @Test(arguments: [
        (LSTM(hiddenSize: 6, cellClip: 3), "cell and projection clips need a projection size (ONNX LSTM's clip bounds the gate inputs, not the cell)"),
        (LSTM(hiddenSize: 6, projectionSize: 0), "projection size is 0, must be positive"),
        (LSTM(hiddenSize: 6, projectionSize: 4, projectionClip: 0), "projection clip is 0.0, must be positive"),
    ])
    func projectionSettingsAreChecked(lstm: LSTM, message: String) {
        #expect(errorMessage { try traceBlock(TensorType(.float32, [seq, batch, 5])) { x, t in try lstm(x, &t, at: "rnn") } }
            == "block 'rnn' (LSTM): \(message)")
    }

    /// AllenNLP's ELMo table lists 13.6M (small) and 93.6M (original) parameters. One
    /// direction of one layer has W 4H·I, R 4H·P, one bias 4H and the projection P·H. The bias
    /// is bilm-tf's and AllenNLP's single one per gate; ONNX's and PyTorch's LSTMs keep an
    /// input and a recurrent bias (ONNX's B is 8H), which would add 4·4H: 65,536 for the
    /// original. The original (I = P = 512, H = 4096): 8,388,608 + 8,388,608 + 16,384 +
    /// 2,097,152 = 18,890,752 per direction and layer.
    @Test func elmoMatchesAllenNLPsParameterCounts() throws {
        func lstm(cells: Int, projection: Int) -> Int {
            4 * cells * (projection + projection) + 4 * cells + projection * cells
        }
        #expect(lstm(cells: 4096, projection: 512) == 18_890_752)
        let filterTaps = [(1, 32), (2, 32), (3, 64), (4, 128), (5, 256), (6, 512), (7, 1024)].map { $0.0 * $0.1 }.reduce(0, +)
        let characterCNN = 262 * 16 + 16 * filterTaps + 2048   // embedding, filters, their biases
        let highway = 2 * (2048 * 2048 + 2048)                 // transform and gate
        let scalarMix = 3 + 1                                  // a weight per layer, gamma
        let original = characterCNN + 2 * highway + (2048 * 512 + 512) + 4 * lstm(cells: 4096, projection: 512) + scalarMix
        let small = characterCNN + highway + (2048 * 128 + 128) + 4 * lstm(cells: 1024, projection: 128) + scalarMix
        #expect(original == 93_600_868)
        #expect(small == 13_593_316)
        #expect(parameterCount(try model("elmo-original")) == original)
        #expect(parameterCount(try model("elmo")) == small)
        let shapes = parameterShapes(try model("elmo-original"))
        #expect(["W", "R", "B", "P"].compactMap { shapes["lstm.backward.1.\($0)"]?.reduce(1, *) }.reduce(0, +) == 18_890_752)
    }

    @Test func elmoStacksReadTheirOwnDirectionWithResidualsAndClips() throws {
        let graph = try model("elmo")
        let scans = graph.nodes.filter { $0.op.onnxName == "Scan" }
        #expect(scans.map(\.name) == ["lstm.forward.0", "lstm.forward.1", "lstm.backward.0", "lstm.backward.1"])
        #expect(scans[1].inputs[2] == "lstm.forward.0:2")
        #expect(scans[3].inputs[2] == "lstm.backward.0:2")
        #expect(graph.nodes.contains { $0.name == "lstm.backward.1.residual" })
        guard case .scan(let attributes) = scans[2].op else { return }
        #expect(attributes.scanInputDirections == [1])
        let clips = attributes.body.nodes.filter { $0.op == .clip }
        #expect(clips.map(\.name) == ["lstm.backward.0.cell_clip", "lstm.backward.0.projection_clip"])
    }
}
