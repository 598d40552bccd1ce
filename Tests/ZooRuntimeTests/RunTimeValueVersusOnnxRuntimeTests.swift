import Testing
import ZooGraph
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Values that decide an output's shape given as graph inputs, known only at run time: one
/// session runs each case with two different values (so it re-plans, specialised on each)
/// and matches onnxruntime both times. Copies are exact; Resize allows float32 rounding.
@Suite struct RunTimeValueVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: Op
        var outputCount = 1
        var tolerance = Tolerance.exact
        /// The operands for variant 0 and 1: the same types, different run-time values.
        let operands: @Sendable (Int) throws -> [Operand]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "Reshape target", op: .reshape()) { variant in
            [.input(try random([2, 3, 4], seed: 1)), .input(try int64s(variant == 0 ? [4, 3, 2] : [2, -1, 4]))]
        },
        Case(label: "Reshape target with 0 (copy)", op: .reshape()) { variant in
            [.input(try random([2, 3, 4], seed: 2)), .input(try int64s(variant == 0 ? [0, 12, 1] : [0, 3, 4]))]
        },
        Case(label: "Expand shape", op: .expand) { variant in
            [.input(try random([3, 1], seed: 3)), .input(try int64s(variant == 0 ? [2, 3, 4] : [1, 3, 1]))]
        },
        Case(label: "ConstantOfShape shape", op: .constantOfShape(value: Tensor(scalar: Float(2.5)))) { variant in
            [.input(try int64s(variant == 0 ? [2, 3] : [4, 1]))]
        },
        Case(label: "Slice starts, ends, axes and steps", op: .slice) { variant in
            [.input(try random([5, 6], seed: 4)), .input(try int64s(variant == 0 ? [1, 0] : [4, -1])),
             .input(try int64s(variant == 0 ? [4, 5] : [0, -7])), .input(try int64s(variant == 0 ? [0, 1] : [1, 0])),
             .input(try int64s(variant == 0 ? [1, 2] : [-1, -2]))]
        },
        Case(label: "Squeeze axes", op: .squeeze) { variant in
            [.input(try random([1, 3, 1, 4], seed: 5)), .input(try int64s([variant == 0 ? 0 : -2]))]
        },
        Case(label: "Unsqueeze axes", op: .unsqueeze) { variant in
            [.input(try random([3, 4], seed: 6)), .input(try int64s(variant == 0 ? [0, 3] : [-1, 1]))]
        },
        Case(label: "Tile repeats", op: .movement(.tile)) { variant in
            [.input(try random([2, 3], seed: 7)), .input(try int64s(variant == 0 ? [2, 1] : [1, 3]))]
        },
        Case(label: "Pad pads", op: .movement(.pad(.reflect))) { variant in
            [.input(try random([4, 5], seed: 8)), .input(try int64s(variant == 0 ? [1, 2, 0, 1] : [0, 0, 3, -1]))]
        },
        Case(label: "Split sizes", op: .movement(.split(axis: 1, numOutputs: nil)), outputCount: 2) { variant in
            [.input(try random([2, 7], seed: 9)), .input(try int64s(variant == 0 ? [3, 4] : [6, 1]))]
        },
        Case(label: "Resize scales", op: .resample(.resize(ResizeAttributes())), tolerance: .float32) { variant in
            [.input(try random([1, 2, 3, 4], seed: 10)), .absent,
             .input(try floats(variant == 0 ? [1, 1, 2, 1.5] : [1, 1, 0.5, 2], shape: [4]))]
        },
        Case(label: "Resize sizes", op: .resample(.resize(ResizeAttributes())), tolerance: .float32) { variant in
            [.input(try random([1, 2, 3, 4], seed: 11)), .absent, .absent, .input(try int64s(variant == 0 ? [1, 2, 5, 7] : [1, 2, 2, 3]))]
        },
        Case(label: "OneHot depth", op: .movement(.oneHot(axis: -1))) { variant in
            [.input(try int64s([0, 2, 1, -1])), .input(try int64s([variant == 0 ? 3 : 5], shape: [])),
             .constant(try floats([0, 1], shape: [2]))]
        },
        Case(label: "Range start, limit and delta", op: .range) { variant in
            [.input(try int64s([variant == 0 ? 0 : 10], shape: [])), .input(try int64s([variant == 0 ? 5 : 1], shape: [])),
             .input(try int64s([variant == 0 ? 1 : -3], shape: []))]
        },
        Case(label: "ReduceSum axes, dropped", op: .reduce(.sum, ReduceAttributes(keepDims: false)), tolerance: .float32) { variant in
            [.input(try random([2, 3, 4], seed: 13)), .input(try int64s(variant == 0 ? [0, 2] : [-2, 0]))]
        },
        Case(label: "TopK k", op: .topK(TopKAttributes()), outputCount: 2) { variant in
            [.input(try random([3, 6], seed: 12)), .input(try int64s([variant == 0 ? 2 : 5]))]
        },
    ]

    @Test(arguments: cases) func valuesAsGraphInputs(_ testCase: Case) throws {
        let (graph, _) = try singleNodeGraph(testCase.op, try testCase.operands(0), outputCount: testCase.outputCount)
        let session = try Session(graph: graph)
        var shapes: [[Int]] = []
        for variant in 0..<2 {
            let (_, inputs) = try singleNodeGraph(testCase.op, try testCase.operands(variant), outputCount: testCase.outputCount)
            let outputs = try session.run(inputs)
            expectClose(outputs, try OnnxRuntimeReference.run(graph, inputs), "\(testCase.label), variant \(variant)",
                        tolerance: testCase.tolerance)
            shapes.append(graph.outputs.first.flatMap { outputs[$0.name]?.shape } ?? [])
        }
        #expect(shapes[0] != shapes[1], "the two values give different output shapes")
    }
}
