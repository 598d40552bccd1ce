extension NodeContext {
    /// BatchNormalization in training mode (opset 14 on): Y shaped like the input; the
    /// running mean and variance `[C]`, in the input's dtype. The parameters are checked as
    /// at inference.
    func inferBatchNormalizationTraining(epsilon: Float) throws(GraphError) -> [Output] {
        guard epsilon >= 0, epsilon.isFinite else { throw badAttribute("epsilon", "is \(epsilon), must be finite and at least 0") }
        let normalized = try inferBatchNormalization()
        let statistics = Output(type: TensorType(normalized.type.dtype, [normalized.type.dims[1]]))
        return [normalized, statistics, statistics]
    }
}
