import Foundation
import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// Bad inputs and unsupported graphs are thrown errors with exact, useful text; NaN and
/// infinity propagate through kernels.
@Suite struct ErrorTests {
    static func session() throws -> Session { try Session(graph: try SampleNetworks.transformerBlock()) }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func wrongDType() throws {
        let session = try Self.session()
        #expect(message { _ = try session.run(["hidden_states": try int64s([1, 2, 3], shape: [1, 3, 1])]) }
            == "input 'hidden_states' must be float32, got int64")
    }

    @Test func wrongRank() throws {
        let session = try Self.session()
        #expect(message { _ = try session.run(["hidden_states": try random([5, 16], seed: 1)]) }
            == "input 'hidden_states' must have shape [batch, seq, 16], got [5, 16] (rank 2)")
    }

    @Test func wrongFixedSize() throws {
        let session = try Self.session()
        #expect(message { _ = try session.run(["hidden_states": try random([1, 5, 15], seed: 1)]) }
            == "input 'hidden_states' must have shape [batch, seq, 16], got [1, 5, 15]: dimension 16 must be 16, got 15")
    }

    @Test func symbolBoundDifferently() throws {
        var builder = GraphBuilder(name: "two_inputs")
        let a = try builder.input("a", TensorType(.float32, ["batch", 4]))
        let b = try builder.input("b", TensorType(.float32, ["batch", 4]))
        try builder.output(try builder.apply(.add, a, b, name: "sum"))
        let session = try Session(graph: try builder.build())
        #expect(message { _ = try session.run(["a": try random([2, 4], seed: 1), "b": try random([3, 4], seed: 2)]) }
            == "input 'b' must have shape [batch, 4], got [3, 4]: 'batch' is 2 in another input but 3 here")
    }

    @Test func missingAndUnknownInputs() throws {
        let session = try Self.session()
        #expect(message { _ = try session.run([:]) } == "input 'hidden_states' is missing")
        #expect(message { _ = try session.run(["hidden_states": try random([1, 2, 16], seed: 1), "mask": try random([1], seed: 2)]) }
            == "'mask' is not an input of the graph (inputs: hidden_states)")
    }

    /// A variant without a kernel is refused when the Session is made, naming node and op.
    @Test func unsupportedVariantFailsAtCompileTime() throws {
        func doubles(_ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Double($0) / 10 })
        }
        let (graph, _) = try singleNodeGraph(
            .lstm(LSTMAttributes(hiddenSize: 2)),
            [.input(try doubles([3, 1, 2])), .constant(try doubles([1, 8, 2])), .constant(try doubles([1, 8, 2]))],
            outputCount: 3)
        #expect(message { _ = try Session(graph: graph) }
            == "node 'node' (LSTM): no kernel: input 'x0' is float64, which onnxruntime's CPU kernel for this op does not take; this kernel computes in float32")
    }

    @Test func nanAndInfinityPropagate() throws {
        let values: [Float] = [.nan, .infinity, -.infinity, 1]
        for op: Op in [.relu, .sigmoid, .tanh, .exp, .erf, .softmax(axis: -1)] {
            let (graph, inputs) = try singleNodeGraph(op, [.input(try floats(values, shape: [1, 4]))])
            let ours = try Session(graph: graph).run(inputs)
            expectClose(ours, try OnnxRuntimeReference.run(graph, inputs), op.onnxName)
        }
        let (graph, inputs) = try singleNodeGraph(.conv(ConvAttributes()), [.input(try floats(values, shape: [1, 1, 2, 2])),
                                                                           .constant(try floats([1], shape: [1, 1, 1, 1]))])
        #expect(try #require(try Session(graph: graph).run(inputs)["node"]).scalars(as: Float.self).prefix(3).map(\.isFinite) == [false, false, false])
    }
}
