import Foundation
import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// The exact worked examples of REFERENCE.md, run through a Session.
@Suite struct WorkedExampleTests {
    static let x: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    static let k: [Float] = [0, 1, 2, 3]

    func run(_ op: Op, _ operands: [Operand]) throws -> [Float] {
        let (graph, inputs) = try singleNodeGraph(op, operands)
        return try #require(try Session(graph: graph).run(inputs)["node"]).scalars(as: Float.self)
    }

    @Test func crossCorrelation() throws {
        let result = try run(.conv(ConvAttributes()), [.input(try floats(Self.x, shape: [1, 1, 3, 3])),
                                                       .constant(try floats(Self.k, shape: [1, 1, 2, 2]))])
        #expect(result == [19, 25, 37, 43])
    }

    @Test func crossCorrelationWithPadding() throws {
        let result = try run(.conv(ConvAttributes(pads: [1, 1, 1, 1])),
                             [.input(try floats(Self.x, shape: [1, 1, 3, 3])), .constant(try floats(Self.k, shape: [1, 1, 2, 2]))])
        #expect(result == [0, 3, 8, 4, 9, 19, 25, 10, 21, 37, 43, 16, 6, 7, 8, 0])
    }

    @Test func crossCorrelationWithPaddingAndStrides() throws {
        let result = try run(.conv(ConvAttributes(strides: [3, 2], pads: [1, 1, 1, 1])),
                             [.input(try floats(Self.x, shape: [1, 1, 3, 3])), .constant(try floats(Self.k, shape: [1, 1, 2, 2]))])
        #expect(result == [0, 8, 6, 8])
    }

    @Test func twoInputChannels() throws {
        let input = try floats(Self.x + [1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [1, 2, 3, 3])
        let kernel = try floats(Self.k + [1, 2, 3, 4], shape: [1, 2, 2, 2])
        #expect(try run(.conv(ConvAttributes()), [.input(input), .input(kernel)]) == [56, 72, 104, 120])
    }

    @Test func maxPooling2x2Stride2() throws {
        let input = try floats([1, 1, 2, 0, 0, 1, 1, 2, 0, 0, 1, 3, 0, 0, 1, 1], shape: [1, 1, 4, 4])
        #expect(try run(.maxPool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2])), [.input(input)]) == [1, 2, 0, 3])
    }

    @Test func maxPooling3x3Stride1() throws {
        let input = try floats([3, 3, 2, 1, 0, 0, 0, 1, 3, 1, 3, 1, 2, 2, 3, 2, 0, 0, 2, 2, 2, 0, 0, 0, 1], shape: [1, 1, 5, 5])
        #expect(try run(.maxPool(PoolAttributes(kernelShape: [3, 3])), [.input(input)]) == [3, 3, 3, 3, 3, 3, 3, 2, 3])
    }

    /// LeNet's first stages: 32x32x1 with six 5x5 filters → 28x28x6, 2x2/2 average pool → 14x14x6.
    @Test func leNetOutputSizes() throws {
        var builder = GraphBuilder(name: "lenet_sizes")
        let image = try builder.input("image", TensorType(.float32, [1, 1, 32, 32]))
        let conv = try builder.apply(.conv(ConvAttributes()), image, try builder.parameter("w", try random([6, 1, 5, 5], seed: 1)), name: "conv")
        let pool = try builder.apply(.averagePool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2])), conv, name: "pool")
        try builder.output(conv)
        try builder.output(pool)
        let outputs = try Session(graph: try builder.build()).run(["image": try random([1, 1, 32, 32], seed: 2)])
        #expect(outputs["conv"]?.shape == [1, 6, 28, 28])
        #expect(outputs["pool"]?.shape == [1, 6, 14, 14])
    }

    /// One LSTM step, hidden size 1, computed by hand from the cell equations (gates i, o, f, c).
    @Test func lstmCellByHand() throws {
        let (wi, wo, wf, wc): (Float, Float, Float, Float) = (0.5, -0.3, 0.8, 0.2)
        let (ri, ro, rf, rc): (Float, Float, Float, Float) = (0.1, 0.4, -0.2, 0.6)
        let (x, h0, c0): (Float, Float, Float) = (1.5, 0.25, -0.5)
        func sigmoid(_ v: Float) -> Float { 1 / (1 + exp(-v)) }
        let i = sigmoid(wi * x + ri * h0), o = sigmoid(wo * x + ro * h0), f = sigmoid(wf * x + rf * h0)
        let candidate = tanh(wc * x + rc * h0)
        let c1 = f * c0 + i * candidate, h1 = o * tanh(c1)
        let outputs = try singleNodeGraph(.lstm(LSTMAttributes(hiddenSize: 1)), [
            .input(try floats([x], shape: [1, 1, 1])), .constant(try floats([wi, wo, wf, wc], shape: [1, 4, 1])),
            .constant(try floats([ri, ro, rf, rc], shape: [1, 4, 1])), .absent, .absent,
            .input(try floats([h0], shape: [1, 1, 1])), .input(try floats([c0], shape: [1, 1, 1])),
        ], outputCount: 3)
        let result = try Session(graph: outputs.graph).run(outputs.inputs)
        let hidden = try #require(result["node:1"]).scalars(as: Float.self)[0]
        let cell = try #require(result["node:2"]).scalars(as: Float.self)[0]
        #expect(abs(hidden - h1) < 1e-6 && abs(cell - c1) < 1e-6, "h \(hidden) vs \(h1), c \(cell) vs \(c1)")
    }
}
