import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// GridSample, AffineGrid and Col2Im against onnxruntime (3-D cubic GridSample, which
/// onnxruntime refuses, against onnx's ReferenceEvaluator), each graph exported by ZooONNX at
/// the case's opset: every mode, padding mode and align_corners in 2-D and 3-D, grids reaching
/// past the image (so every padding path runs), points exactly between pixels for nearest's
/// rounding, GridSample's opset-16 mode names, and sizes large enough to spread over threads.
/// Tolerance float32 (rtol 1e-4, atol 1e-5).
@Suite struct SpatialVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: SpatialOp
        let operands: @Sendable () throws -> [Operand]
        var opset = 22
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        var testDescription: String { label }
    }

    static let gridSamples: [Case] = GridSampleAttributes.Mode.allCases.flatMap { mode in
        GridSampleAttributes.Padding.allCases.flatMap { padding in
            [false, true].map { alignCorners in
                Case(label: "grid sample 2-D \(mode) \(padding) align_corners \(alignCorners)",
                     op: .gridSample(GridSampleAttributes(mode: mode, padding: padding, alignCorners: alignCorners))) {
                    [.input(try random([2, 3, 5, 6], seed: 1)), .input(try random([2, 4, 7, 2], seed: 2, low: -1.4, high: 1.4))]
                }
            }
        }
    } + GridSampleAttributes.Padding.allCases.flatMap { padding in
        [GridSampleAttributes.Mode.linear, .nearest].map { mode in
            Case(label: "grid sample 3-D \(mode) \(padding)", op: .gridSample(GridSampleAttributes(mode: mode, padding: padding, alignCorners: padding == .border))) {
                [.input(try random([2, 2, 3, 4, 5], seed: 3)), .input(try random([2, 2, 3, 4, 3], seed: 4, low: -1.3, high: 1.3))]
            }
        }
    } + [
        Case(label: "grid sample 3-D cubic reflection (onnx reference)", op: .gridSample(GridSampleAttributes(mode: .cubic, padding: .reflection)),
             operands: { [.input(try random([1, 2, 3, 4, 5], seed: 5)), .input(try random([1, 2, 2, 3, 3], seed: 6, low: -1.2, high: 1.2))] },
             evaluator: .onnxReference),
        Case(label: "grid sample nearest at points halfway between pixels", op: .gridSample(GridSampleAttributes(mode: .nearest, alignCorners: true))) {
            // With align_corners over 5 pixels, x = 2g + 2: g = ±0.25, ±0.75 land on 1.5, 2.5, 0.5, 3.5.
            [.input(try random([1, 1, 5, 5], seed: 7)), .input(try floats([0.25, -0.25, 0.75, -0.75, -0.25, 0.25, -0.75, 0.75], shape: [1, 2, 2, 2]))]
        },
        Case(label: "grid sample bilinear at opset 16 (mode named bilinear)", op: .gridSample(GridSampleAttributes(mode: .linear, padding: .border)),
             operands: { [.input(try random([1, 2, 4, 4], seed: 8)), .input(try random([1, 3, 3, 2], seed: 9, low: -1.2, high: 1.2))] }, opset: 16),
        Case(label: "grid sample bicubic at opset 16", op: .gridSample(GridSampleAttributes(mode: .cubic)),
             operands: { [.input(try random([1, 2, 4, 4], seed: 10)), .input(try random([1, 3, 3, 2], seed: 11))] }, opset: 16),
        Case(label: "grid sample over threads (8 channels, 64 × 64 points)", op: .gridSample(GridSampleAttributes(mode: .linear, padding: .reflection))) {
            [.input(try random([2, 8, 48, 48], seed: 12)), .input(try random([2, 64, 64, 2], seed: 13, low: -1.1, high: 1.1))]
        },
    ]

    static let grids: [Case] = [false, true].flatMap { alignCorners in
        [
            Case(label: "affine grid 2-D align_corners \(alignCorners)", op: .affineGrid(alignCorners: alignCorners)) {
                [.input(try random([2, 2, 3], seed: 20)), .constant(try int64s([2, 3, 5, 7]))]
            },
            Case(label: "affine grid 3-D align_corners \(alignCorners)", op: .affineGrid(alignCorners: alignCorners)) {
                [.input(try random([2, 3, 4], seed: 21)), .constant(try int64s([2, 1, 3, 4, 5]))]
            },
        ]
    } + [
        Case(label: "affine grid with an axis of length 1", op: .affineGrid(alignCorners: false)) {
            [.input(try random([1, 2, 3], seed: 22)), .constant(try int64s([1, 1, 1, 4]))]
        },
        Case(label: "affine grid over threads", op: .affineGrid(alignCorners: true)) {
            [.input(try random([2, 2, 3], seed: 23)), .constant(try int64s([2, 1, 96, 128]))]
        },
    ]

    static let folds: [Case] = [
        Case(label: "col2im 2-D", op: .col2Im(Col2ImAttributes()), operands: {
            [.input(try random([1, 5, 5], seed: 30)), .constant(try int64s([5, 5])), .constant(try int64s([1, 5]))]
        }, opset: 18),
        Case(label: "col2im strides, pads, dilations, 2 channels, batch 2", op: .col2Im(Col2ImAttributes(dilations: [2, 1], pads: [1, 0, 2, 1], strides: [1, 2])),
             operands: {
            // Rows: (6 + 1 + 2 − 2·(2 − 1) − 1) / 1 + 1 = 7 blocks; columns: (7 + 0 + 1 − 3) / 2 + 1 = 3 blocks.
            [.input(try random([2, 2 * 6, 21], seed: 31)), .constant(try int64s([6, 7])), .constant(try int64s([2, 3]))]
        }, opset: 18),
        Case(label: "col2im 3-D", op: .col2Im(Col2ImAttributes(strides: [1, 2, 1])), operands: {
            [.input(try random([1, 3 * 8, 2 * 2 * 3], seed: 32)), .constant(try int64s([3, 4, 4])), .constant(try int64s([2, 2, 2]))]
        }, opset: 18),
        Case(label: "col2im over threads (16 channels of 3 × 3 blocks)", op: .col2Im(Col2ImAttributes(pads: [1, 1, 1, 1])), operands: {
            [.input(try random([2, 16 * 9, 32 * 32], seed: 33)), .constant(try int64s([32, 32])), .constant(try int64s([3, 3]))]
        }, opset: 18),
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.spatial(testCase.op), try testCase.operands())
        try expectMatchesOnnxRuntime(graph, inputs, evaluator: testCase.evaluator, opset: testCase.opset, testCase.label)
    }

    @Test(arguments: gridSamples) func gridSample(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: grids) func affineGrid(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: folds) func col2Im(_ testCase: Case) throws { try Self.check(testCase) }

    @Test func sizesKnownOnlyAtRunTimeArePlannedWithTheirValues() throws {
        let (graph, _) = try singleNodeGraph(.spatial(.affineGrid(alignCorners: false)),
                                             [.input(try random([1, 2, 3], seed: 40)), .input(try int64s([1, 1, 4, 4]))])
        let session = try Session(graph: graph)
        for size in [[1, 1, 4, 4], [1, 1, 3, 5]] {
            let inputs = ["x0": try random([1, 2, 3], seed: 40), "x1": try int64s(size)]
            expectClose(try session.run(inputs), try OnnxRuntimeReference.run(graph, inputs, opset: 20), "size \(size)")
        }
    }
}
