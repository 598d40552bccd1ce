import Testing
import ZooGraph
import ZooTensor

/// GRU and RNN outputs with symbolic sequence and batch in both layouts, and the errors of
/// shape inference for operands and attributes that do not fit.
@Suite struct RecurrentShapeTests {
    private func outputs(_ attributes: RecurrentAttributes, x: [Dim], w: [Int], r: [Int], extra: [TensorType?] = [])
        throws -> [TensorType]
    {
        var builder = GraphBuilder(name: "recurrent")
        var operands: [GraphBuilder.Value?] = [try builder.input("x", TensorType(.float32, x)),
                                               try builder.parameter("w", try Tensor(zeros: w)),
                                               try builder.parameter("r", try Tensor(zeros: r))]
        for (index, type) in extra.enumerated() {
            operands.append(try type.map { type in try builder.input("extra\(index)", type) })
        }
        return try builder.add(.recurrent(attributes), operands, name: "rnn", outputCount: 2).map(\.type)
    }

    @Test func symbolicSequenceAndBatchInBothLayouts() throws {
        let gru = RecurrentAttributes(cell: .gru(linearBeforeReset: true), hiddenSize: 4, direction: .bidirectional)
        #expect(try outputs(gru, x: ["seq", "batch", 3], w: [2, 12, 3], r: [2, 12, 4])
            == [TensorType(.float32, ["seq", 2, "batch", 4]), TensorType(.float32, [2, "batch", 4])])
        let rnn = RecurrentAttributes(cell: .rnn, hiddenSize: 2, layout: 1)
        #expect(try outputs(rnn, x: ["batch", "seq", 3], w: [1, 2, 3], r: [1, 2, 2],
                            extra: [nil, TensorType(.int32, ["batch"]), TensorType(.float32, ["batch", 1, 2])])
            == [TensorType(.float32, ["batch", "seq", 1, 2]), TensorType(.float32, ["batch", 1, 2])])
    }

    @Test func operandsAndAttributesThatDoNotFitAreNamed() throws {
        let gru = RecurrentAttributes(cell: .gru(linearBeforeReset: false), hiddenSize: 4)
        #expect(throws: GraphError.shape(node: "rnn", op: "GRU", message: "W 'w' must be float32[1,12,3], got float32[1,16,3]")) {
            _ = try outputs(gru, x: [5, 2, 3], w: [1, 16, 3], r: [1, 12, 4])
        }
        #expect(throws: GraphError.shape(node: "rnn", op: "GRU", message: "initial_h 'extra2' must be float32[1,2,4], got float32[2,2,4]")) {
            _ = try outputs(gru, x: [5, 2, 3], w: [1, 12, 3], r: [1, 12, 4], extra: [nil, nil, TensorType(.float32, [2, 2, 4])])
        }
        #expect(throws: GraphError.dtype(node: "rnn", op: "GRU", input: "extra1", expected: "int32", actual: .int64)) {
            _ = try outputs(gru, x: [5, 2, 3], w: [1, 12, 3], r: [1, 12, 4], extra: [nil, TensorType(.int64, [2])])
        }
        var clipped = gru
        clipped.clip = -1
        #expect(throws: GraphError.attribute(node: "rnn", op: "GRU", name: "clip", message: "is -1.0, must be a number at least 0")) {
            _ = try outputs(clipped, x: [5, 2, 3], w: [1, 12, 3], r: [1, 12, 4])
        }
        var oneSet = gru
        (oneSet.direction, oneSet.activations) = (.bidirectional, [.sigmoid, .tanh])
        #expect(throws: GraphError.attribute(node: "rnn", op: "GRU", name: "activations",
                                             message: "has 2 functions, GRU bidirectional takes 4")) {
            _ = try outputs(oneSet, x: [5, 2, 3], w: [2, 12, 3], r: [2, 12, 4])
        }
        let lstmAsRecurrent = RecurrentAttributes(cell: .lstm(inputForget: false), hiddenSize: 1)
        #expect(throws: GraphError.shape(node: "rnn", op: "LSTM", message: "an LSTM is the op `lstm`, not `recurrent`")) {
            _ = try outputs(lstmAsRecurrent, x: [5, 2, 3], w: [1, 4, 3], r: [1, 4, 1])
        }
    }
}
