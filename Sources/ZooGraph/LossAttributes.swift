/// SoftmaxCrossEntropyLoss (opset 13) and NegativeLogLikelihoodLoss (opset 22): the losses
/// exporters write into evaluation graphs. Both take scores `[N, C, d1…dk]`, integer labels
/// `[N, d1…dk]` and optional per-class weights `[C]`. NegativeLogLikelihoodLoss reads the
/// scores as log-probabilities; SoftmaxCrossEntropyLoss first takes the log-softmax over C
/// (its optional second output) and then the same negative log-likelihood.
public struct LossAttributes: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case softmaxCrossEntropy, negativeLogLikelihood

        public var onnxName: String {
            switch self {
            case .softmaxCrossEntropy: "SoftmaxCrossEntropyLoss"
            case .negativeLogLikelihood: "NegativeLogLikelihoodLoss"
            }
        }
    }

    /// How the per-element losses `-weight[t] · logp[n, t, d]` become the output.
    public enum Reduction: String, Sendable, Hashable, CaseIterable {
        /// One loss per label: the output has the labels' shape.
        case none
        /// A scalar: the sum.
        case sum
        /// A scalar: the sum divided by the sum of the weights of the labels not ignored.
        case mean
    }

    public var kind: Kind
    public var reduction: Reduction
    /// A label value that contributes nothing (loss 0, weight 0); any other label must lie
    /// in [0, C).
    public var ignoreIndex: Int?

    public init(kind: Kind, reduction: Reduction = .mean, ignoreIndex: Int? = nil) {
        self.kind = kind
        self.reduction = reduction
        self.ignoreIndex = ignoreIndex
    }

    /// Outputs: the loss, and for SoftmaxCrossEntropyLoss the log-probabilities.
    public var outputArity: ClosedRange<Int> { kind == .softmaxCrossEntropy ? 1...2 : 1...1 }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        [("reduction", reduction == .mean ? nil : reduction.rawValue), ("ignore_index", ignoreIndex)]
    }
}
