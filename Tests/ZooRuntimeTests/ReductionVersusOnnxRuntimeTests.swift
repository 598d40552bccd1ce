import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The reductions, ArgMax/ArgMin, CumSum/CumProd, TopK, Hardmax and LogSoftmax against
/// onnxruntime, passes off: several axes (negative, merged neighbours, strided, all),
/// keepdims both ways, ties for the index ops, and the dtypes onnxruntime's CPU kernels
/// take for each op. Tolerance: the suite's fp32 one (rtol 1e-4, atol 1e-5; integers and
/// indices exactly); float64 and integer results are the same arithmetic, so they agree to it.
@Suite struct ReductionVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: Op
        let operands: @Sendable () throws -> [Operand]
        var outputCount = 1
        /// The opset the graph is written at for onnxruntime (CumProd exists from 26).
        var opset = ONNXModel.defaultOpset
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        var testDescription: String { label }
    }

    /// Values of `dtype` from a seeded uniform draw in [low, high), rounded for integers
    /// (uint8 shifted up by 4, so that the tables' draws from −4 stay in range).
    static func values(_ shape: [Int], _ dtype: DType, seed: UInt64, low: Float = -1, high: Float = 1) throws -> Tensor {
        let doubles = try random(shape, seed: seed, low: low, high: high).doubleValues
        switch dtype {
        case .float64: return try Tensor(shape: shape, scalars: doubles)
        case .float16: return try Tensor(shape: shape, scalars: doubles.map { Float16($0) })
        case .int32: return try Tensor(shape: shape, scalars: doubles.map { Int32($0.rounded()) })
        case .int64: return try Tensor(shape: shape, scalars: doubles.map { Int64($0.rounded()) })
        case .int8: return try Tensor(shape: shape, scalars: doubles.map { Int8(clamping: Int($0.rounded())) })
        case .uint8: return try Tensor(shape: shape, scalars: doubles.map { UInt8(clamping: Int($0.rounded() + 4)) })
        case .bool: return try Tensor(shape: shape, scalars: doubles.map { $0 > 0 })
        default: return try Tensor(shape: shape, scalars: doubles.map { Float($0) })
        }
    }

    /// Axes choices on a [3, 4, 5] input: one middle axis dropped, the outer and inner axes
    /// kept (a strided set), the two inner axes (merged into one contiguous run), all.
    static let axesChoices: [(String, ReduceAttributes)] = [
        ("axis 1", ReduceAttributes(axes: [1], keepDims: false)),
        ("axes 0, -1 keepdims", ReduceAttributes(axes: [0, -1], keepDims: true)),
        ("axes 1, 2", ReduceAttributes(axes: [1, 2], keepDims: false)),
        ("all axes", ReduceAttributes()),
    ]

    static let reductions: [Case] = ReduceOperation.allCases.flatMap { operation in
        // LogSum needs positive sums; the product stays near 1 on [0.5, 1.5).
        let (low, high): (Float, Float) = operation == .logSum || operation == .product ? (0.5, 1.5) : (-1, 1)
        return axesChoices.map { label, attributes in
            Case(label: "\(operation.onnxName) \(label)", op: .reduce(operation, attributes)) {
                [.input(try values([3, 4, 5], .float32, seed: 200, low: low, high: high))]
            }
        }
    }

    static let reductionDTypes: [Case] = [
        (ReduceOperation.sum, DType.float64), (.sum, .int32), (.sum, .int64), (.max, .float64), (.max, .int32), (.max, .int64),
        (.min, .int32), (.min, .int64), (.min, .float64), (.mean, .float64), (.mean, .int32), (.product, .int64),
        (.product, .int32), (.l1, .int64), (.sumSquare, .int32), (.logSumExp, .float64), (.l2, .float64),
        (.sum, .float16), (.mean, .float16), (.max, .float16), (.l2, .float16), (.max, .int8), (.min, .uint8),
    ].map { operation, dtype in
        Case(label: "\(operation.onnxName) \(dtype)", op: .reduce(operation, ReduceAttributes(axes: [0, 2], keepDims: false))) {
            [.input(try values([3, 4, 5], dtype, seed: 201, low: operation == .product ? 0.5 : -4, high: operation == .product ? 2.5 : 4))]
        }
    }

    static let reductionShapes: [Case] = [
        // Contiguous float32 runs of 100 and 4000 (the vector path), the latter over threads.
        Case(label: "ReduceSum of rows of 100", op: .reduce(.sum, ReduceAttributes(axes: [-1]))) { [.input(try values([3, 100], .float32, seed: 202))] },
        Case(label: "ReduceMean of rows of 4000 on all threads", op: .reduce(.mean, ReduceAttributes(axes: [1], keepDims: false))) {
            [.input(try values([64, 4000], .float32, seed: 203))]
        },
        // onnxruntime 1.32's ReduceMax passes over a NaN (8 here); the onnx reference
        // evaluator (numpy) returns NaN, as we do: that one is the reference.
        Case(label: "ReduceMax of rows of 37 with NaN", op: .reduce(.max, ReduceAttributes(axes: [1])), operands: {
            [.input(try floats((0..<74).map { $0 == 20 ? .nan : Float($0 % 9) }, shape: [2, 37]))]
        }, evaluator: .onnxReference),
        Case(label: "ReduceMin of rows of 40 with NaN", op: .reduce(.min, ReduceAttributes(axes: [1])), operands: {
            [.input(try floats((0..<80).map { $0 == 57 ? .nan : Float($0 % 7) }, shape: [2, 40]))]
        }, evaluator: .onnxReference),
        Case(label: "ReduceL1 of rows of 33", op: .reduce(.l1, ReduceAttributes(axes: [-1]))) {
            [.input(try values([5, 33], .float32, seed: 241))]
        },
        Case(label: "ReduceMax of spatial axes, NCHW", op: .reduce(.max, ReduceAttributes(axes: [2, 3]))) {
            [.input(try values([2, 3, 7, 9], .float32, seed: 204))]
        },
        Case(label: "ReduceSum over the outer axis of a wide matrix", op: .reduce(.sum, ReduceAttributes(axes: [0], keepDims: false))) {
            [.input(try values([50, 700], .float32, seed: 205))]
        },
        // Rows of 2500 kept: three pieces of each output row (1024, 1024, 452), over threads.
        Case(label: "ReduceSum over the rows of a [120, 2500] matrix", op: .reduce(.sum, ReduceAttributes(axes: [0]))) {
            [.input(try values([120, 2500], .float32, seed: 242))]
        },
        Case(label: "ReduceMin over the middle axis of int64, rows kept", op: .reduce(.min, ReduceAttributes(axes: [1], keepDims: false))) {
            [.input(try values([3, 7, 30], .int64, seed: 243, low: -50, high: 50))]
        },
        Case(label: "ReduceMean of float16 over a middle axis", op: .reduce(.mean, ReduceAttributes(axes: [1]))) {
            [.input(try values([3, 7, 20], .float16, seed: 244))]
        },
        Case(label: "ReduceLogSumExp of large values", op: .reduce(.logSumExp, ReduceAttributes(axes: [1]))) {
            [.input(try values([4, 30], .float32, seed: 206, low: 50, high: 90))]
        },
        Case(label: "ReduceSum with an axes input at opset 13", op: .reduce(.sum, ReduceAttributes(axes: [1, -1])), operands: {
            [.input(try values([2, 3, 4], .float32, seed: 207))]
        }, opset: 13),
        Case(label: "ReduceL2 at opset 18", op: .reduce(.l2, ReduceAttributes(axes: [0], keepDims: false)), operands: {
            [.input(try values([5, 6], .float32, seed: 208))]
        }, opset: 18),
        Case(label: "ReduceMin of a size-1 axis", op: .reduce(.min, ReduceAttributes(axes: [1]))) { [.input(try values([4, 1, 3], .float32, seed: 209))] },
    ]

    /// Empty sets give each fold's identity (opset 18's definition; the mean of none, which
    /// ONNX leaves undefined, is NaN here and 0 in onnxruntime, so it is not compared), and
    /// noop_with_empty_axes folds each element alone (|x|, x², …), both at opset 18.
    static let emptySetsAndNoop: [Case] = ReduceOperation.allCases.filter { $0 != .mean }.map { operation in
        Case(label: "\(operation.onnxName) of an empty set", op: .reduce(operation, ReduceAttributes(axes: [1])), operands: {
            [.input(try Tensor(zeros: [2, 0, 3]))]
        }, opset: 18)
    } + [ReduceOperation.l1, .l2, .sumSquare, .logSumExp, .mean].map { operation in
        Case(label: "\(operation.onnxName) with noop_with_empty_axes", op: .reduce(operation, ReduceAttributes(axes: [])), operands: {
            [.input(try values([3, 4], .float32, seed: 240))]
        }, opset: 18)
    } + [
        Case(label: "ReduceMax of an empty int32 set is the lowest int32", op: .reduce(.max, ReduceAttributes(axes: [0], keepDims: false)), operands: {
            [.input(try Tensor(zeros: [0, 3], dtype: .int32))]
        }, opset: 18),
    ]

    /// Axes as a constant input the node keeps (as a planner supplies a run-time value):
    /// negative axes, an empty axes tensor with noop_with_empty_axes 0 (every axis) and 1
    /// (none), each opset where the input form starts (13 for ReduceSum, 18, 20 for
    /// ReduceMax/Min's bool and 8-bit forms).
    static let axesInputs: [Case] = [
        (ReduceOperation.sum, [1, -1], false, false, 13), (.mean, [-2], true, false, 18), (.max, [0, 2], false, false, 20),
        (.logSumExp, [-1, 0], true, false, 18), (.l2, [], false, false, 18), (.sumSquare, [], false, true, 18),
        (.min, [], true, false, 20), (.product, [2], false, true, 18),
    ].map { operation, axes, keepDims, noop, opset in
        Case(label: "\(operation.onnxName) with an axes input \(axes)\(keepDims ? " keepdims" : "")\(noop ? " noop" : "") at \(opset)",
             op: .reduce(operation, ReduceAttributes(axes: nil, keepDims: keepDims, noopWithEmptyAxes: noop)), operands: {
            [.input(try values([3, 4, 5], .float32, seed: 245)), .constant(try int64s(axes))]
        }, opset: opset)
    }

    /// ReduceMax and ReduceMin of bool (any, all; opset 20): a row of all true or all false
    /// in the draw's [4, 3] shape is likely, and the empty set gives the identities.
    static let boolExtrema: [Case] = [ReduceOperation.max, .min].flatMap { operation in
        [Case(label: "\(operation.onnxName) of bool over axis 1", op: .reduce(operation, ReduceAttributes(axes: [1], keepDims: false)),
              operands: { [.input(try values([6, 3], .bool, seed: 248, low: -0.5, high: 1))] }, opset: 20),
         Case(label: "\(operation.onnxName) of bool, axes input [0]", op: .reduce(operation, ReduceAttributes(axes: nil)),
              operands: { [.input(try values([6, 3], .bool, seed: 249, low: -1, high: 0.5)), .constant(try int64s([0]))] }, opset: 20)]
    }

    /// Integer-valued inputs with ties, so that first and last indices differ.
    static let ties: @Sendable () throws -> Tensor = { try values([3, 6, 4], .float32, seed: 210, low: -2, high: 2).rounded() }

    static let indexOps: [Case] = [
        Case(label: "ArgMax axis 1 with ties", op: .argReduce(ArgReduceAttributes(selectsMaximum: true, axis: 1))) { [.input(try ties())] },
        Case(label: "ArgMax last index of ties, no keepdims", op: .argReduce(ArgReduceAttributes(
            selectsMaximum: true, axis: -1, keepDims: false, selectLastIndex: true))) { [.input(try ties())] },
        Case(label: "ArgMin axis 0", op: .argReduce(ArgReduceAttributes(selectsMaximum: false, axis: 0))) { [.input(try ties())] },
        Case(label: "ArgMin last index, int32", op: .argReduce(ArgReduceAttributes(selectsMaximum: false, axis: 2, selectLastIndex: true))) {
            [.input(try values([3, 6, 4], .int32, seed: 211, low: -2, high: 2))]
        },
        Case(label: "ArgMax int64", op: .argReduce(ArgReduceAttributes(selectsMaximum: true, axis: 1, keepDims: false))) {
            [.input(try values([3, 6, 4], .int64, seed: 212, low: -9, high: 9))]
        },
        Case(label: "ArgMax float64", op: .argReduce(ArgReduceAttributes(selectsMaximum: true, axis: 2))) {
            [.input(try values([3, 6, 4], .float64, seed: 213))]
        },
        Case(label: "Hardmax last axis with ties", op: .hardmax(axis: -1)) { [.input(try ties())] },
        Case(label: "Hardmax float16", op: .hardmax(axis: -1)) { [.input(try values([3, 7], .float16, seed: 235))] },
        Case(label: "ArgMax float16", op: .argReduce(ArgReduceAttributes(selectsMaximum: true, axis: 0))) {
            [.input(try values([5, 3], .float16, seed: 236))]
        },
        Case(label: "ArgMin uint8", op: .argReduce(ArgReduceAttributes(selectsMaximum: false, axis: 1))) {
            [.input(try values([3, 8], .uint8, seed: 237, low: 0, high: 9))]
        },
        Case(label: "TopK int8", op: .topK(TopKAttributes(axis: -1)), operands: {
            [.input(try values([3, 8], .int8, seed: 238, low: -5, high: 5)), .constant(try int64s([3]))]
        }, outputCount: 2),
        Case(label: "TopK float16", op: .topK(TopKAttributes(axis: -1, largest: false)), operands: {
            [.input(try values([3, 8], .float16, seed: 239)), .constant(try int64s([3]))]
        }, outputCount: 2),
        Case(label: "Hardmax axis 1", op: .hardmax(axis: 1)) { [.input(try values([2, 5, 3], .float32, seed: 214))] },
        Case(label: "TopK 3 largest of the last axis, ties", op: .topK(TopKAttributes()), operands: {
            [.input(try ties()), .constant(try int64s([3]))]
        }, outputCount: 2),
        Case(label: "TopK 2 smallest along axis 1, ties", op: .topK(TopKAttributes(axis: 1, largest: false)), operands: {
            [.input(try ties()), .constant(try int64s([2]))]
        }, outputCount: 2),
        Case(label: "TopK all of a long row", op: .topK(TopKAttributes(axis: -1)), operands: {
            [.input(try values([2, 300], .float32, seed: 215)), .constant(try int64s([300]))]
        }, outputCount: 2),
        Case(label: "TopK 5 of 1000 on all threads", op: .topK(TopKAttributes(axis: 0)), operands: {
            [.input(try values([1000, 300], .float32, seed: 216)), .constant(try int64s([5]))]
        }, outputCount: 2),
        Case(label: "TopK int64", op: .topK(TopKAttributes(axis: -1)), operands: {
            [.input(try values([4, 9], .int64, seed: 217, low: -3, high: 3)), .constant(try int64s([4]))]
        }, outputCount: 2),
        Case(label: "TopK float64, k 0", op: .topK(TopKAttributes(axis: -1)), operands: {
            [.input(try values([4, 9], .float64, seed: 218)), .constant(try int64s([0]))]
        }, outputCount: 2),
    ]

    static let scansAndSoftmax: [Case] = [
        Case(label: "CumSum axis 1", op: .cumulative(CumulativeAttributes(.sum))) {
            [.input(try values([3, 5, 4], .float32, seed: 220)), .constant(Tensor(scalar: Int64(1)))]
        },
        Case(label: "CumSum exclusive reverse, axis -1 as int32", op: .cumulative(CumulativeAttributes(.sum, exclusive: true, reverse: true))) {
            [.input(try values([3, 5, 4], .float32, seed: 221)), .constant(Tensor(scalar: Int32(-1)))]
        },
        Case(label: "CumSum exclusive int64", op: .cumulative(CumulativeAttributes(.sum, exclusive: true))) {
            [.input(try values([6, 3], .int64, seed: 222, low: -9, high: 9)), .constant(Tensor(scalar: Int64(0)))]
        },
        Case(label: "CumSum reverse int32", op: .cumulative(CumulativeAttributes(.sum, reverse: true))) {
            [.input(try values([6, 3], .int32, seed: 223, low: -9, high: 9)), .constant(Tensor(scalar: Int64(0)))]
        },
        Case(label: "CumSum reverse, axis as a run-time input", op: .cumulative(CumulativeAttributes(.sum, reverse: true))) {
            [.input(try values([3, 5, 4], .float32, seed: 228)), .input(Tensor(scalar: Int64(-2)))]
        },
        Case(label: "CumSum float16 exclusive", op: .cumulative(CumulativeAttributes(.sum, exclusive: true))) {
            [.input(try values([4, 9], .float16, seed: 229)), .constant(Tensor(scalar: Int64(1)))]
        },
        Case(label: "LogSoftmax float64", op: .logSoftmax(axis: 0)) { [.input(try values([4, 6], .float64, seed: 231))] },
        Case(label: "LogSoftmax float16", op: .logSoftmax(axis: -1)) { [.input(try values([4, 6], .float16, seed: 232))] },
        Case(label: "Softmax float64", op: .softmax(axis: 1)) { [.input(try values([2, 6, 3], .float64, seed: 233))] },
        Case(label: "Softmax float16", op: .softmax(axis: -1)) { [.input(try values([3, 20], .float16, seed: 234))] },
        Case(label: "CumSum float64", op: .cumulative(CumulativeAttributes(.sum))) {
            [.input(try values([7], .float64, seed: 224)), .constant(Tensor(scalar: Int64(0)))]
        },
        Case(label: "CumProd exclusive reverse", op: .cumulative(CumulativeAttributes(.product, exclusive: true, reverse: true)), operands: {
            [.input(try values([3, 5], .float32, seed: 225, low: 0.5, high: 1.5)), .constant(Tensor(scalar: Int64(1)))]
        }, opset: 26),
        Case(label: "LogSoftmax last axis, long row", op: .logSoftmax(axis: -1)) { [.input(try values([3, 100], .float32, seed: 226, low: -10, high: 10))] },
        Case(label: "LogSoftmax middle axis", op: .logSoftmax(axis: 1)) { [.input(try values([2, 5, 3], .float32, seed: 227))] },
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(testCase.op, try testCase.operands(), outputCount: testCase.outputCount)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), evaluator: testCase.evaluator,
                                     opset: testCase.opset, testCase.label)
    }

    /// Files written by onnx's helper at opset 11 (LogSoftmax and Hardmax on 2-D rows, Reduce
    /// axes as attributes) and 18 (axes as inputs, noop_with_empty_axes): imported, run, and
    /// exported at each opset that can hold them, onnxruntime giving our outputs each time.
    @Test(arguments: [(11, [13, 18, 28]), (18, [18, 28])])
    func importedFilesRunAndExport(opset: Int, exportOpsets: [Int]) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/reductions.onnx"
        _ = try Python.run(script: "make_reduction_onnx.py", [path, "\(opset)"])
        let graph = try ONNXModel.read(from: path).graph
        let inputs = ["x": try Self.values([2, 3, 4], .float32, seed: 230)]
        for exportOpset in exportOpsets {
            try expectMatchesOnnxRuntime(graph, inputs, opset: exportOpset, "opset \(opset) file written at \(exportOpset)")
        }
        // An empty axes list (noop) has no form before the axes input: the writer says so.
        if opset == 18 {
            #expect(throws: ONNXError.self) { try ONNXModel(graph: graph, opsetVersion: 17).serialized() }
        }
    }

    /// The opset-18 file with ReduceSumSquare's axes as a graph input: the imported node
    /// keeps the input, and its exports at 18 and 28, given the file's constant axes, give
    /// what we compute from the constant-axes file. Before 18 no form holds it.
    @Test func importedRunTimeAxesExport() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Python.run(script: "make_reduction_onnx.py", ["\(directory)/constant.onnx", "18"])
        _ = try Python.run(script: "make_reduction_onnx.py", ["\(directory)/run-time.onnx", "18", "--run-time-axes"])
        let x = try Self.values([2, 3, 4], .float32, seed: 247)
        let expected = try Session(graph: try ONNXModel.read(from: "\(directory)/constant.onnx").graph).run(["x": x])
        let graph = try ONNXModel.read(from: "\(directory)/run-time.onnx").graph
        let node = try #require(graph.nodes.first { $0.name == "l2" })
        #expect(node.inputs == ["x", "axes"] && node.op == .reduce(.sumSquare, ReduceAttributes(axes: nil, keepDims: false)))
        for opset in [18, 28] {
            let exported = try OnnxRuntimeReference.run(graph, ["x": x, "axes": try int64s([0, -1])], opset: opset)
            expectClose(expected, exported, "exported at \(opset)")
        }
        #expect(throws: ONNXError.self) { try ONNXModel(graph: graph, opsetVersion: 17).serialized() }
    }

    @Test(arguments: reductions) func reduction(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: reductionDTypes) func reductionDType(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: reductionShapes) func reductionShape(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: emptySetsAndNoop) func reductionEmptySetOrNoop(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: boolExtrema) func reductionOfBool(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: axesInputs) func reductionWithAxesInput(_ testCase: Case) throws { try Self.check(testCase) }

    /// Repeated axes, however given, are an error naming the node (onnxruntime 1.32 reduces
    /// such an axis once; numpy, the onnx reference evaluator's, refuses it as we do).
    @Test func repeatedAxesNameTheNode() throws {
        let graph = Graph(name: "repeated", inputs: [ValueInfo(name: "x", type: TensorType(.float32, [3, 4]))],
                          outputs: [ValueInfo(name: "y", type: TensorType(.float32, [3, 1]))],
                          nodes: [Node(name: "node", op: .reduce(.sum, ReduceAttributes()), inputs: ["x", "axes"], outputs: ["y"])],
                          initializers: [Graph.Initializer(name: "axes", tensor: try int64s([1, -1]))])
        let error = #expect(throws: RuntimeError.self) { _ = try Session(graph: graph) }
        #expect(error.map(String.init(describing:)) == "node 'node' (ReduceSum): axes [1, -1] name axis -1 more than once")
    }

    @Test(arguments: indexOps) func argMaxTopKHardmax(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: scansAndSoftmax) func cumulativeAndLogSoftmax(_ testCase: Case) throws { try Self.check(testCase) }
}

private extension Tensor {
    /// float32 values rounded to integers: ties for the index ops.
    func rounded() throws -> Tensor {
        try Tensor(shape: shape, scalars: doubleValues.map { Float($0.rounded()) })
    }
}
