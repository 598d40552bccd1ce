import ZooTensor

/// Dropout in training mode draws a random mask, which we never do silently. With a ratio of
/// 0 it drops nothing: the output is the input and the mask all true, as in inference.
public enum DropoutTraining {
    public static let refusal = "training-mode dropout with a ratio other than 0 (a random mask) is not supported"

    /// Whether a Dropout with these input values computes as inference does: no training
    /// mode, training mode false, or a ratio of 0 (an absent ratio is 0.5).
    public static func isDeterministic(trainingMode: Tensor?, ratio: Tensor?) -> Bool {
        guard let trainingMode, trainingMode.integerValues != [0] else { return true }
        return ratio?.doubleValues == [0]
    }
}
