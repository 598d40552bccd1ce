import Testing
import ZooBlocks
import ZooGraph
import ZooRuntime
import ZooTensor

/// The scanInputProjection pass: a Scan body's input projection becomes one MatMul before
/// the loop. Outputs with the pass agree with those without it to float rounding (without
/// it, each step's product of up to 8 rows runs as matrix-vector products, which sum over K
/// in another order than the one oneDNN GEMM), and both match onnxruntime.
@Suite struct ScanInputProjectionTests {
    static let withoutHoisting = SessionOptions(passes: GraphPass.defaultPipeline.filter { $0 != .scanInputProjection })

    static func expectSameOutputsWithAndWithoutHoisting(_ sample: ScanSampleGraphs.Sample, hoisted: [String]) throws {
        let (graph, inputs) = sample
        let session = try Session(graph: graph)
        let outputs = try session.run(inputs)
        let reference = try Session(graph: graph, options: withoutHoisting).run(inputs)
        for (name, value) in reference {
            let mismatch = outputs[name]?.mismatch(against: value, rtol: 1e-5, atol: 1e-6)
            #expect(outputs[name] != nil && mismatch == nil, "\(name): \(mismatch?.description ?? "")")
        }
        expectClose(outputs, try OnnxRuntimeReference.run(graph, inputs))
        let nodes = try session.summary(inputShapes: inputs.mapValues(\.shape)).nodes
        #expect(Set(hoisted).isSubset(of: nodes), "\(nodes)")
    }

    @Test func projectedLSTMHoistsEachDirectionsProjection() throws {
        let lstm = LSTM(hiddenSize: 16, layerCount: 2, bidirectional: true, projectionSize: 8, cellClip: 0.5, projectionClip: 0.25)
        let sample = try ScanSampleGraphs.projectedLSTM(lstm, inputSize: 8, seq: 7, batch: 3)
        let hoisted = ["0.forward", "0.reverse", "1.forward", "1.reverse"].map { "rnn.\($0)#rnn.\($0).input_gates" }
        try Self.expectSameOutputsWithAndWithoutHoisting(sample, hoisted: hoisted)
    }

    /// Every Gemm form the pass takes: B not transposed, alpha and beta, a scalar C, the
    /// sequence along axis 1 read last to first; and one it must leave: a C that changes
    /// from step to step.
    @Test func gemmVariantsAndAxes() throws {
        var builder = GraphBuilder(name: "projections")
        let x = try builder.input("x", ScanSampleGraphs.floats(2, "seq", 3)), s0 = try builder.input("s0", ScanSampleGraphs.floats(2, 4))
        let weights = try builder.parameter("weights", try random([3, 4], seed: 40))
        let step = try ScanSampleGraphs.body("step", inputs: [("s_prev", ScanSampleGraphs.floats(2, 4)), ("x_t", ScanSampleGraphs.floats(2, 3))]) { body, inputs in
            let scale = try body.parameter("scale", Tensor(scalar: Float(0.75)))
            let scaled = try body.apply(.gemm(GemmAttributes(alpha: 0.5, beta: 2)), inputs[1], weights, scale, name: "scaled")
            let carried = try body.apply(.gemm(GemmAttributes()), inputs[1], weights, inputs[0], name: "carried")
            let next = try body.apply(.add, scaled, carried, name: "s_next")
            return [next, try body.apply(.identity, next, name: "emitted")]
        }
        let attributes = ScanAttributes(body: step, scanInputCount: 1, scanInputAxes: [1], scanInputDirections: [1])
        for output in try builder.add(.scan(attributes), [s0, x], name: "scan", outputCount: 2) { try builder.output(output) }
        let sample = (try builder.build(), ["x": try random([2, 5, 3], seed: 41), "s0": try random([2, 4], seed: 42)])
        try Self.expectSameOutputsWithAndWithoutHoisting(sample, hoisted: ["scan#scaled"])
        let nodes = try Session(graph: sample.0).summary(inputShapes: sample.1.mapValues(\.shape)).nodes
        #expect(!nodes.contains("scan#carried"))
    }
}
