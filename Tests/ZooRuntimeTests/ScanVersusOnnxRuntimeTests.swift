import Testing
import ZooBlocks
import ZooGraph
import ZooRuntime
import ZooTensor

/// Scan against onnxruntime at the suite's fp32 tolerance (|ours − theirs| ≤ 1e-4·|theirs| +
/// 1e-5 + 1e-4·max|theirs|), with the passes off (the kernel and body as written) and on (the
/// default pipeline, in the main graph and in the body).
@Suite struct ScanVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let sample: @Sendable () throws -> ScanSampleGraphs.Sample
        /// onnxruntime 1.23 returns zeros for a body output that is a body input itself; onnx's
        /// ReferenceEvaluator, which gets it right, is the reference for that case.
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        var testDescription: String { label }
    }

    static let semantics: [Case] = [
        Case(label: "cumulative sum", sample: ScanSampleGraphs.cumulativeSum),
        Case(label: "reverse directions, gathered slices, stacked along the last axis", sample: ScanSampleGraphs.reverseAndAxes),
        Case(label: "states returned as body inputs, trading places", sample: ScanSampleGraphs.swappedStates,
             evaluator: .onnxReference),
        Case(label: "Scan in a Scan reading both enclosing graphs", sample: ScanSampleGraphs.nested),
    ]

    /// The zoo's LSTMP, as ELMo uses it: cell 6, projection 4, clips 0.5 and 0.25.
    static let projected: [Case] = [
        Case(label: "LSTMP forward, 2 layers, residual") {
            try ScanSampleGraphs.projectedLSTM(LSTM(hiddenSize: 6, layerCount: 2, residual: true, projectionSize: 4,
                                                    cellClip: 0.5, projectionClip: 0.25), inputSize: 4, seq: 7, batch: 3)
        },
        Case(label: "LSTMP reverse") {
            try ScanSampleGraphs.projectedLSTM(LSTM(hiddenSize: 6, reverse: true, projectionSize: 4, cellClip: 0.5,
                                                    projectionClip: 0.25), inputSize: 5, seq: 6, batch: 2)
        },
        Case(label: "LSTMP bidirectional, batch 1") {
            try ScanSampleGraphs.projectedLSTM(LSTM(hiddenSize: 6, bidirectional: true, projectionSize: 4, cellClip: 0.5,
                                                    projectionClip: 0.25), inputSize: 5, seq: 5, batch: 1)
        },
        Case(label: "LSTMP bidirectional, vector-sized, no clips") {
            try ScanSampleGraphs.projectedLSTM(LSTM(hiddenSize: 40, bidirectional: true, projectionSize: 24),
                                               inputSize: 24, seq: 9, batch: 3)
        },
    ]

    static let passSettings: [[GraphPass]] = [[], GraphPass.defaultPipeline]

    @Test(arguments: semantics, passSettings) func matchesOnnxRuntime(_ testCase: Case, passes: [GraphPass]) throws {
        let (graph, inputs) = try testCase.sample()
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: passes), evaluator: testCase.evaluator,
                                     testCase.label)
    }

    /// Constant folding is needed here: the body's Slice bounds are Constant nodes.
    @Test(arguments: projected) func projectedLSTMMatchesOnnxRuntime(_ testCase: Case) throws {
        let (graph, inputs) = try testCase.sample()
        try expectMatchesOnnxRuntime(graph, inputs, testCase.label)
    }

    /// A body node without a kernel is reported when the session compiles, named under its Scan.
    @Test func bodyErrorsNameTheScan() throws {
        var builder = GraphBuilder(name: "half_sums")
        let s0 = try builder.input("s0", ScanSampleGraphs.floats(2)), x = try builder.input("x", ScanSampleGraphs.floats(3, 2))
        let step = try ScanSampleGraphs.body("step", inputs: [("s_prev", ScanSampleGraphs.floats(2)), ("x_t", ScanSampleGraphs.floats(2))]) { body, inputs in
            let next = try body.apply(.add, inputs[0], inputs[1], name: "s_next")
            let counts = try body.apply(.cast(to: .int64), next, name: "counts")
            return [next, try body.apply(.matMul, counts, counts, name: "half")]
        }
        for output in try builder.add(.scan(ScanAttributes(body: step, scanInputCount: 1)), [s0, x], name: "scan", outputCount: 2) {
            try builder.output(output)
        }
        #expect {
            try Session(graph: try builder.build())
        } throws: { error in
            guard case .unsupported(let node, let op, _) = error as? RuntimeError else { return false }
            return node == "scan/half" && op == "MatMul"
        }
    }

    /// No step runs: the final states are the initial ones and the stacked outputs are
    /// empty. onnxruntime is not asked: this is what the ONNX definition says directly.
    @Test func emptySequence() throws {
        let (graph, inputs) = try ScanSampleGraphs.cumulativeSum()
        let empty = try Tensor(zeros: [0, 2, 3])
        let outputs = try Session(graph: graph).run(["s0": inputs["s0"]!, "x": empty])
        #expect(outputs["scan:0"] == inputs["s0"])
        #expect(outputs["scan:1"]?.shape == [0, 2, 3])
    }
}
