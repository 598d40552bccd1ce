import ZooGraph

// SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss. Each label costs 2 FLOPs: its
// log-probability times its class weight (a sign change without weights), then the add into
// the sum (or the write of an unreduced loss); mean's one division is left out.
// SoftmaxCrossEntropyLoss first takes the log-softmax of the scores: 5 FLOPs per score, as
// LogSoftmax is counted.
extension CostContext {
    func lossCost(_ attributes: LossAttributes) throws(CountError) -> Cost {
        let labels = try inputElements(1)
        let scores = attributes.kind == .softmaxCrossEntropy ? try inputElements(0) : .zero
        return try checked { () throws(PolynomialError) in try Cost(macs: .zero, otherFLOPs: 2 * labels + 5 * scores) }
    }
}
