import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// NonZero, Unique, Compress, NonMaxSuppression and TopK against onnxruntime, each graph
/// exported by ZooONNX. The inputs that decide an output's size are constants (initializers)
/// here, so the session knows them when it plans; graph inputs in their place are the
/// planner's business (SelectionRunTimeTests). Compress's data and TopK's input stay graph
/// inputs, so those kernels run on values they see only when running. Outputs are indices
/// or copies: compared exactly.
@Suite struct SelectionVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: SelectionOp
        let operands: @Sendable () throws -> [Operand]
        var outputCount = 1
        var testDescription: String { label }
    }

    /// Values with repeats, zeros, negative numbers and −0.
    static func repeating(_ shape: [Int], seed: Int) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<count).map { Float((($0 * 7 + seed) % 5) - 2) * 0.5 })
    }

    static let nonZeros: [Case] = [
        Case(label: "nonzero float 3 × 4", op: .nonZero) { [.constant(try repeating([3, 4], seed: 1))] },
        Case(label: "nonzero int64 2 × 3 × 4", op: .nonZero) {
            [.constant(try int64s((0..<24).map { $0 % 3 == 0 ? 0 : $0 - 12 }, shape: [2, 3, 4]))]
        },
        Case(label: "nonzero bool", op: .nonZero) { [.constant(try Tensor(shape: [2, 3], scalars: [true, false, true, false, false, true]))] },
        Case(label: "nonzero all zero", op: .nonZero) { [.constant(try Tensor(zeros: [4, 2]))] },
    ]

    static let uniques: [Case] = [false, true].flatMap { sorted in
        [
            Case(label: "unique flattened sorted \(sorted)", op: .unique(UniqueAttributes(sorted: sorted)),
                 operands: { [.constant(try repeating([4, 5], seed: 3))] }, outputCount: 4),
            Case(label: "unique int64 flattened sorted \(sorted)", op: .unique(UniqueAttributes(sorted: sorted)),
                 operands: { [.constant(try int64s([5, -3, 5, 9, 0, -3, 7, 9, 9, 1]))] }, outputCount: 4),
            Case(label: "unique rows (axis 0) sorted \(sorted)", op: .unique(UniqueAttributes(sorted: sorted, axis: 0)),
                 operands: { [.constant(try floats([1, 2, 0, 1, 2, 0, 3, -1, 1, 1, 2, 0, 0, 0, 0, 3, -1, 0], shape: [6, 3]))] }, outputCount: 4),
            Case(label: "unique columns (axis -1) of a 3-D tensor sorted \(sorted)", op: .unique(UniqueAttributes(sorted: sorted, axis: -1)),
                 operands: { [.constant(try int64s([1, 0, 1, 2, 0, 2, 3, 3, 3, 1, 0, 1, 5, 5, 5, 2, 2, 2, 1, 0, 1, 2, 0, 2], shape: [2, 3, 4]))] },
                 outputCount: 4),
        ]
    } + [
        Case(label: "unique over threads' worth of elements", op: .unique(UniqueAttributes()),
             operands: { [.constant(try repeating([64, 100], seed: 5))] }, outputCount: 4),
        Case(label: "unique Y only", op: .unique(UniqueAttributes(sorted: false, axis: 1)),
             operands: { [.constant(try repeating([3, 10], seed: 0))] }),
    ]

    static let compressions: [Case] = [
        Case(label: "compress axis 0", op: .compress(axis: 0)) {
            [.input(try random([4, 3], seed: 1)), .constant(try Tensor(shape: [4], scalars: [true, false, true, true]))]
        },
        Case(label: "compress axis 1, shorter condition", op: .compress(axis: 1)) {
            [.input(try random([2, 5, 3], seed: 2)), .constant(try Tensor(shape: [3], scalars: [false, true, true]))]
        },
        Case(label: "compress axis -1", op: .compress(axis: -1)) {
            [.input(try random([2, 3, 4], seed: 3)), .constant(try Tensor(shape: [4], scalars: [true, false, false, true]))]
        },
        Case(label: "compress flattened int64", op: .compress(axis: nil)) {
            [.input(try int64s(Array(0..<12), shape: [3, 4])), .constant(try Tensor(shape: [7], scalars: [false, true, false, true, true, false, true]))]
        },
        Case(label: "compress nothing selected", op: .compress(axis: 0)) {
            [.input(try random([3, 2], seed: 4)), .constant(try Tensor(shape: [3], scalars: [false, false, false]))]
        },
    ]

    /// Boxes in both corner orders and overlapping clusters, and scores with ties (quarters).
    static func detections(batches: Int, classes: Int, boxes: Int, seed: UInt64, centerPointBox: Bool) throws -> (Tensor, Tensor) {
        let raw = try random([batches, boxes, 4], seed: seed, low: 0, high: 1).doubleValues.map { Float($0) }
        var values: [Float] = []
        for box in 0..<(batches * boxes) {
            let (a, b, c, d) = (raw[4 * box], raw[4 * box + 1], raw[4 * box + 2], raw[4 * box + 3])
            let (centerY, centerX) = (Float(box % 3) * 0.5 + a * 0.2, Float(box % 2) * 0.5 + b * 0.2)
            let (height, width) = (0.3 + c * 0.4, 0.3 + d * 0.4)
            if centerPointBox {
                values += [centerX, centerY, width, height]
            } else if box % 2 == 0 {
                values += [centerY - height / 2, centerX - width / 2, centerY + height / 2, centerX + width / 2]
            } else {
                values += [centerY + height / 2, centerX + width / 2, centerY - height / 2, centerX - width / 2]
            }
        }
        let scores = try random([batches, classes, boxes], seed: seed + 1, low: 0, high: 1).doubleValues.map { Float(($0 * 4).rounded()) / 4 }
        return (try Tensor(shape: [batches, boxes, 4], scalars: values), try Tensor(shape: [batches, classes, boxes], scalars: scores))
    }

    static func suppression(_ label: String, centerPointBox: Bool = false, batches: Int = 1, classes: Int = 1, boxes: Int = 12,
                            maximum: Int?, iou: Float?, score: Float?, seed: UInt64) -> Case {
        Case(label: label, op: .nonMaxSuppression(centerPointBox: centerPointBox)) {
            let (boxTensor, scoreTensor) = try detections(batches: batches, classes: classes, boxes: boxes, seed: seed, centerPointBox: centerPointBox)
            var operands: [Operand] = [.constant(boxTensor), .constant(scoreTensor)]
            operands.append(try maximum.map { .constant(try int64s([$0], shape: [1])) } ?? .absent)
            operands.append(try iou.map { .constant(try floats([$0], shape: [1])) } ?? .absent)
            if let score { operands.append(.constant(try floats([score], shape: [1]))) }
            while case .absent = operands.last { operands.removeLast() }
            return operands
        }
    }

    static let suppressions: [Case] = [false, true].flatMap { centerPointBox in
        [
            suppression("nms center_point_box \(centerPointBox), iou 0.5", centerPointBox: centerPointBox, maximum: 10, iou: 0.5, score: nil, seed: 10),
            suppression("nms center_point_box \(centerPointBox), 2 batches × 3 classes, score 0.3", centerPointBox: centerPointBox,
                        batches: 2, classes: 3, boxes: 20, maximum: 4, iou: 0.4, score: 0.3, seed: 11),
        ]
    } + [
        suppression("nms ties kept in box order (iou 1: nothing suppressed)", maximum: 100, iou: 1, score: nil, seed: 12),
        suppression("nms iou 0: any overlap suppresses", classes: 2, maximum: 100, iou: 0, score: nil, seed: 13),
        suppression("nms one box per class", batches: 2, classes: 2, maximum: 1, iou: 0.5, score: nil, seed: 14),
        suppression("nms max_output_boxes_per_class negative (none)", maximum: -3, iou: 0.5, score: nil, seed: 15),
        suppression("nms without max_output_boxes_per_class (none)", maximum: nil, iou: nil, score: nil, seed: 16),
        suppression("nms without iou_threshold (0)", maximum: 5, iou: nil, score: 0.5, seed: 17),
        suppression("nms score threshold equal to the tied scores (strictly greater kept)", maximum: 50, iou: 0.6, score: 0.5, seed: 18),
        suppression("nms 400 boxes × 4 classes", classes: 4, boxes: 400, maximum: 30, iou: 0.45, score: 0.2, seed: 19),
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.selection(testCase.op), try testCase.operands(), outputCount: testCase.outputCount)
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: .exact, opset: 17, testCase.label)
    }

    @Test(arguments: nonZeros) func nonZero(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: uniques) func unique(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: compressions) func compress(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: suppressions) func nonMaxSuppression(_ testCase: Case) throws { try Self.check(testCase) }

    @Test func topKWithAConstantKAfterShapeArithmetic() throws {
        // k = the axis length − 2, from Shape/Gather/Sub: folded before the kernel is prepared.
        var builder = GraphBuilder(name: "topk")
        let x = try builder.input("x", TensorType(.float32, [3, 7]))
        let shape = try builder.add(.shape(start: 1), [x], name: "shape")[0]
        let k = try builder.add(.sub, [shape, try builder.parameter("two", try int64s([2]))], name: "k")[0]
        for output in try builder.add(.topK(TopKAttributes(axis: 1, largest: false, sorted: true)), [x, k], name: "topk", outputCount: 2) {
            try builder.output(output)
        }
        try expectMatchesOnnxRuntime(try builder.build(), ["x": try Self.repeating([3, 7], seed: 2)], tolerance: .exact, "top k")
    }
}
