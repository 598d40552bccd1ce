import ZooTensor

// SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss: scores [N, C, d1…dk] (floating
// point), labels [N, d1…dk] (int32 or int64), weights [C] of the scores' dtype. The loss is
// [N, d1…dk] without a reduction, else a scalar; the log-probabilities have the scores' type.
extension NodeContext {
    func inferLoss(_ attributes: LossAttributes) throws(GraphError) -> [Output] {
        let scores = try floatType(0)
        guard scores.rank >= 2 else { throw fail("scores '\(node.inputs[0])' must be [N, C, d1…dk], got \(scores)") }
        let labels = try integerType(1)
        var perLabel = scores.dims
        perLabel.remove(at: 1)
        guard labels.rank == perLabel.count, zip(labels.dims, perLabel).allSatisfy({ label, score in
            label == score || label.value == nil || score.value == nil
        }) else {
            throw fail("labels '\(node.inputs[1])' must be \(TensorType(labels.dtype, perLabel)) for scores \(scores), got \(labels)")
        }
        if let weights = optionalType(2) {
            try requireSameDType(2, as: 0)
            guard weights.rank == 1, weights.dims[0] == scores.dims[1] || weights.dims[0].value == nil
                    || scores.dims[1].value == nil else {
                throw fail("weights '\(node.inputs[2])' must be [\(scores.dims[1])], one per class, got \(weights)")
            }
        }
        let loss = Output(type: TensorType(scores.dtype, attributes.reduction == .none ? perLabel : []))
        return attributes.kind == .softmaxCrossEntropy ? [loss, Output(type: scores)] : [loss]
    }
}
