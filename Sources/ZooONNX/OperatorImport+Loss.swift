import ZooGraph

// ONNX → IR for SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss (opset 12 on; 13 and
// 22 only widen their types).
extension OperatorImport {
    static let lossKnown: [String: Set<String>] = [
        "SoftmaxCrossEntropyLoss": ["reduction", "ignore_index"],
        "NegativeLogLikelihoodLoss": ["reduction", "ignore_index"],
    ]

    func makeLossOp() throws(Problem) -> Op {
        let kind: LossAttributes.Kind = opType == "SoftmaxCrossEntropyLoss" ? .softmaxCrossEntropy : .negativeLogLikelihood
        let name = try string("reduction") ?? "mean"
        guard let reduction = LossAttributes.Reduction(rawValue: name) else {
            throw Problem(reason: "reduction '\(name)' is not one of \(LossAttributes.Reduction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return .loss(LossAttributes(kind: kind, reduction: reduction, ignoreIndex: try int("ignore_index", default: nil)))
    }
}
