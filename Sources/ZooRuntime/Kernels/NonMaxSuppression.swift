import ZooGraph
import ZooTensor

/// NonMaxSuppression, computed while preparing from the values of all five inputs, as
/// onnxruntime computes it: for each batch and class, the boxes whose score exceeds
/// score_threshold (every box without one; a NaN score never) in order of score, equal
/// scores by box index; each is kept unless its IoU with a box already kept for that class
/// exceeds iou_threshold, until max_output_boxes_per_class are kept (absent or ≤ 0: none).
/// A pair whose intersection or either area is not positive never suppresses. Output rows
/// (batch, class, box), batches then classes in order. Corners are computed once per box;
/// the work is a sort per class plus one IoU per (candidate, kept box).
enum NonMaxSuppression {
    static func prepare(_ context: KernelContext, centerPointBox: Bool) throws(RuntimeError) -> PreparedKernel {
        let role = "NonMaxSuppression's output size depends on it"
        guard let boxes = try context.requiredConstant(0, role: "boxes (\(role))"),
              let scores = try context.requiredConstant(1, role: "scores (\(role))") else {
            throw context.fail("inputs boxes and scores are required")
        }
        guard boxes.dtype == .float32, scores.dtype == .float32, boxes.rank == 3, scores.rank == 3, boxes.shape[2] == 4,
              boxes.shape[0] == scores.shape[0], boxes.shape[1] == scores.shape[2] else {
            throw context.fail("boxes [batches, boxes, 4] and scores [batches, classes, boxes] (float32) do not fit: \(boxes.dtype) \(boxes.shape), \(scores.dtype) \(scores.shape)")
        }
        let maximum = try scalar(context, 2, role: "max_output_boxes_per_class (\(role))")?.integerValues?.first ?? 0
        let iouThreshold = try scalar(context, 3, role: "iou_threshold (\(role))")?.doubleValues.first.map { Float($0) } ?? 0
        guard (0...1).contains(iouThreshold) else { throw context.fail("iou_threshold \(iouThreshold) is outside [0, 1]") }
        let scoreThreshold = try scalar(context, 4, role: "score_threshold (\(role))")?.doubleValues.first.map { Float($0) }

        let (batchCount, boxCount, classCount) = (boxes.shape[0], boxes.shape[1], scores.shape[1])
        let corners = boxes.doubleValues.map { Float($0) }, allScores = scores.doubleValues.map { Float($0) }
        var selected: [Int64] = []
        for batch in 0..<batchCount where maximum > 0 {
            let geometry = (0..<boxCount).map { BoxCorners(corners, at: (batch * boxCount + $0) * 4, centerPointBox: centerPointBox) }
            for classIndex in 0..<classCount {
                let classScores = allScores[((batch * classCount + classIndex) * boxCount)...].prefix(boxCount)
                let offset = classScores.startIndex
                let candidates = (0..<boxCount).filter { box in
                    let score = classScores[offset + box]
                    return !score.isNaN && scoreThreshold.map { score > $0 } ?? true
                }.sorted { first, second in
                    let (a, b) = (classScores[offset + first], classScores[offset + second])
                    return a > b || (a == b && first < second)
                }
                var kept: [Int] = []
                for candidate in candidates where kept.count < maximum {
                    guard !kept.contains(where: { geometry[candidate].overlaps(geometry[$0], moreThan: iouThreshold) }) else { continue }
                    kept.append(candidate)
                    selected += [Int64(batch), Int64(classIndex), Int64(candidate)]
                }
            }
        }
        return try PrecomputedKernel.prepared([try context.tensor(shape: [selected.count / 3, 3], selected)])
    }

    /// An optional input that must hold one value.
    private static func scalar(_ context: KernelContext, _ index: Int, role: String) throws(RuntimeError) -> Tensor? {
        guard let tensor = try context.requiredConstant(index, role: role) else { return nil }
        guard tensor.elementCount == 1 else {
            throw context.fail("input '\(context.node.inputs[index])' must hold one value, got shape \(tensor.shape)")
        }
        return tensor
    }
}

/// One box's extent on each axis and its area, in onnxruntime's float arithmetic.
private struct BoxCorners {
    let xMin: Float, xMax: Float, yMin: Float, yMax: Float
    let area: Float

    /// From [y1, x1, y2, x2] (any two opposite corners) or [x_center, y_center, width, height].
    init(_ values: [Float], at start: Int, centerPointBox: Bool) {
        if centerPointBox {
            let (halfWidth, halfHeight) = (values[start + 2] / 2, values[start + 3] / 2)
            (xMin, xMax) = (values[start] - halfWidth, values[start] + halfWidth)
            (yMin, yMax) = (values[start + 1] - halfHeight, values[start + 1] + halfHeight)
        } else {
            (xMin, xMax) = Self.ordered(values[start + 1], values[start + 3])
            (yMin, yMax) = Self.ordered(values[start], values[start + 2])
        }
        area = (xMax - xMin) * (yMax - yMin)
    }

    private static func ordered(_ a: Float, _ b: Float) -> (Float, Float) { a >= b ? (b, a) : (a, b) }

    func overlaps(_ other: BoxCorners, moreThan threshold: Float) -> Bool {
        let (left, right) = (max(xMin, other.xMin), min(xMax, other.xMax))
        guard right > left else { return false }
        let (bottom, top) = (max(yMin, other.yMin), min(yMax, other.yMax))
        guard top > bottom else { return false }
        let intersection = (right - left) * (top - bottom)
        let union = area + other.area - intersection
        guard intersection > 0, area > 0, other.area > 0, union > 0 else { return false }
        return intersection / union > threshold
    }
}
