import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// LSTM, GRU and RNN against onnxruntime, passes off, at the suite's float32 tolerance:
/// every cell (GRU with and without linear_before_reset) in every direction, then the
/// options one by one and together: bias, initial states, ragged sequence_lens (a row of
/// length 0 included), clip, peepholes, input_forget, every activation with alpha and beta,
/// W, R, B and P as run-time inputs, and sizes that run the steps on all threads.
/// onnxruntime refuses layout 1, so those cases use onnx's ReferenceEvaluator, which
/// ignores `activations` and sequence_lens: they keep the defaults and full lengths.
@Suite struct RecurrentVersusOnnxRuntimeTests {
    typealias Case = KernelVersusOnnxRuntimeTests.Case

    /// The sizes and optional inputs of one case; `seed` seeds every operand.
    struct Setup {
        var cell: RecurrentAttributes.Cell
        var direction: RecurrentDirection = .forward
        var hidden = 5, input = 3, sequence = 4, batch = 3, layout = 0
        var clip: Float?
        var activations: [RecurrentActivation] = []
        var bias = true, initialStates = false, peepholes = false, runTimeWeights = false
        var lengths: [Int32]?
        var seed: UInt64

        var attributes: RecurrentAttributes {
            RecurrentAttributes(cell: cell, hiddenSize: hidden, direction: direction, layout: layout, clip: clip,
                                activations: activations)
        }

        var op: Op {
            guard case .lstm(let inputForget) = cell else { return .recurrent(attributes) }
            return .lstm(LSTMAttributes(hiddenSize: hidden, direction: direction, layout: layout, clip: clip,
                                        inputForget: inputForget, activations: activations))
        }

        func operands() throws -> [Operand] {
            let (directions, width) = (direction.count, cell.gateCount * hidden)
            let weight = { (tensor: Tensor) -> Operand in runTimeWeights ? .input(tensor) : .constant(tensor) }
            let x = layout == 0 ? [sequence, batch, input] : [batch, sequence, input]
            let state = layout == 0 ? [directions, batch, hidden] : [batch, directions, hidden]
            var operands: [Operand] = [
                .input(try random(x, seed: seed)), weight(try random([directions, width, input], seed: seed + 1)),
                weight(try random([directions, width, hidden], seed: seed + 2, low: -0.5, high: 0.5)),
                bias ? weight(try random([directions, 2 * width], seed: seed + 3)) : .absent,
                try lengths.map { .input(try Tensor(shape: [batch], scalars: $0)) } ?? .absent,
                initialStates ? .input(try random(state, seed: seed + 4)) : .absent,
            ]
            if cell.isLSTM {
                operands += [initialStates ? .input(try random(state, seed: seed + 5)) : .absent,
                             peepholes ? weight(try random([directions, 3 * hidden], seed: seed + 6)) : .absent]
            }
            while case .absent? = operands.last { operands.removeLast() }
            return operands
        }

        func testCase(_ label: String) -> Case {
            let setup = self
            return Case(label: label, op: op, operands: { try setup.operands() }, outputCount: cell.isLSTM ? 3 : 2,
                        evaluator: layout == 1 ? .onnxReference : .onnxruntime)
        }
    }

    static let cells: [(String, RecurrentAttributes.Cell)] = [
        ("RNN", .rnn), ("GRU", .gru(linearBeforeReset: false)), ("GRU linear_before_reset", .gru(linearBeforeReset: true)),
        ("LSTM", .lstm(inputForget: false)),
    ]

    /// Every cell in every direction, with bias, initial states and ragged lengths.
    static let directionCases: [Case] = cells.flatMap { name, cell in
        RecurrentDirection.allCases.enumerated().map { index, direction in
            Setup(cell: cell, direction: direction, initialStates: true, lengths: [4, 2, 3], seed: 200 + 10 * UInt64(index))
                .testCase("\(name) \(direction.rawValue), initial states, ragged lengths")
        }
    }

    static let optionCases: [Case] = cells.flatMap { name, cell in
        [
            Setup(cell: cell, bias: false, seed: 300).testCase("\(name) without bias"),
            Setup(cell: cell, direction: .bidirectional, clip: 0.4, seed: 310).testCase("\(name) bidirectional, clip"),
            Setup(cell: cell, direction: .reverse, lengths: [0, 4, 1], seed: 320).testCase("\(name) reverse, a row of length 0"),
            Setup(cell: cell, direction: .bidirectional, initialStates: true, peepholes: true, runTimeWeights: true,
                  lengths: [3, 4, 1], seed: 330).testCase("\(name) bidirectional, W, R, B (and P) at run time"),
            Setup(cell: cell, direction: .bidirectional, hidden: 3, batch: 2, layout: 1, initialStates: true, seed: 340)
                .testCase("\(name) batch-first layout"),
            // 3·gates·300·300 ≥ 270k multiply-adds a step, above SmallWork's limit (262k) for
            // every cell: a team of threads, each owning a slice of the 300 units (not a
            // multiple of 16); GRU without linear_before_reset meets twice a step.
            Setup(cell: cell, direction: .bidirectional, hidden: 300, input: 7, sequence: 5, batch: 3, initialStates: true,
                  lengths: [5, 3, 4], seed: 350).testCase("\(name) on all threads, ragged lengths"),
        ]
    }

    static let activationCases: [Case] = [
        Setup(cell: .rnn, direction: .bidirectional,
              activations: [RecurrentActivation(.leakyRelu, alpha: 0.2), RecurrentActivation(.thresholdedRelu, alpha: 0.1)], seed: 400)
            .testCase("RNN LeakyRelu forward, ThresholdedRelu reverse"),
        Setup(cell: .rnn, activations: [RecurrentActivation(.relu)], seed: 405).testCase("RNN Relu"),
        Setup(cell: .rnn, clip: 0.5, activations: [RecurrentActivation(.elu, alpha: 0.7)], seed: 410).testCase("RNN Elu, clip"),
        Setup(cell: .gru(linearBeforeReset: false), activations: [RecurrentActivation(.hardSigmoid, alpha: 0.3, beta: 0.4),
                                                                  RecurrentActivation(.softsign)], seed: 420)
            .testCase("GRU HardSigmoid, Softsign"),
        Setup(cell: .gru(linearBeforeReset: true), direction: .bidirectional,
              activations: [.sigmoid, RecurrentActivation(.softplus), RecurrentActivation(.hardSigmoid),
                            RecurrentActivation(.affine, alpha: 0.5, beta: 0.1)], seed: 430)
            .testCase("GRU linear_before_reset, Softplus forward, Affine reverse"),
        Setup(cell: .lstm(inputForget: false), activations: [RecurrentActivation(.hardSigmoid, alpha: 0.25, beta: 0.45),
                                                             RecurrentActivation(.scaledTanh, alpha: 1.5, beta: 0.7),
                                                             RecurrentActivation(.leakyRelu, alpha: 0.3)], seed: 440)
            .testCase("LSTM HardSigmoid, ScaledTanh, LeakyRelu"),
        Setup(cell: .lstm(inputForget: true), direction: .bidirectional, clip: 0.6, peepholes: true, seed: 450)
            .testCase("LSTM input_forget, peepholes, clip"),
        Setup(cell: .lstm(inputForget: true), direction: .reverse, initialStates: true, peepholes: true, lengths: [2, 4, 3],
              seed: 460).testCase("LSTM input_forget reverse, ragged lengths"),
    ]

    @Test(arguments: directionCases) func everyCellAndDirection(_ testCase: Case) throws { try KernelVersusOnnxRuntimeTests.check(testCase) }
    @Test(arguments: optionCases) func options(_ testCase: Case) throws { try KernelVersusOnnxRuntimeTests.check(testCase) }
    @Test(arguments: activationCases) func activations(_ testCase: Case) throws { try KernelVersusOnnxRuntimeTests.check(testCase) }

    /// Files in other exporters' forms (Tests/interop/make_recurrent_onnx.py) give
    /// onnxruntime's outputs on the file itself and on our export of what we imported, and
    /// survive our export and import unchanged.
    @Test(arguments: ["gru_bidirectional_lower_case", "rnn_constant_sequence_lens", "lstm_input_forget_peepholes_opset13",
                      "gru_opset7"])
    func importedFilesMatchOnnxRuntimeBeforeAndAfterExport(_ name: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Python.run(script: "make_recurrent_onnx.py", [directory])
        let path = "\(directory)/\(name).onnx"
        let graph = try ONNXModel.read(from: path).graph
        let inputs = ["X": try random([4, 2, 3], seed: 600)]
        let ours = try Session(graph: graph, options: SessionOptions(passes: [])).run(inputs)

        try NPYFile.write(inputs["X"]!, to: directory + "/x.npy")
        let names = try Python.json([String].self, script: "ort_run.py", [path, directory, "X=\(directory)/x.npy"])
        var original: [String: Tensor] = [:]
        for (index, output) in names.enumerated() { original[output] = try NPYFile.read(from: "\(directory)/output_\(index).npy") }
        expectClose(ours, original, "\(name) (the file)")
        expectClose(ours, try OnnxRuntimeReference.run(graph, inputs), "\(name) (our export)")
        #expect(try ONNXModel(serialized: try ONNXModel(graph: graph).serialized()).graph == graph)
    }

    @Test func sequenceLengthBeyondTheSequenceIsRefused() throws {
        let setup = Setup(cell: .gru(linearBeforeReset: false), lengths: [4, 5, 1], seed: 500)
        let (graph, inputs) = try singleNodeGraph(setup.op, try setup.operands(), outputCount: 2)
        #expect(throws: RuntimeError.shape(node: "node", op: "GRU", message: "sequence_lens[1] is 5, outside 0...4 (the sequence length)")) {
            _ = try Session(graph: graph).run(inputs)
        }
    }
}
