import ZooGraph
import ZooTensor

/// SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss over scores `[N, C, P…]` (float32)
/// and labels `[N, P…]` (int32 or int64). SoftmaxCrossEntropyLoss takes the log-softmax over
/// C first (rows of C spread over threads), into its second output when the graph uses it and
/// into scratch otherwise. Then each label t picks `-weight[t] · logp[n, t, p]` (0 for the
/// ignore index), summed in double precision; mean divides by the picked weights' sum. A label
/// outside [0, C) other than the ignore index is a run-time error naming it.
struct LossKernel: Kernel {
    let node: String
    let attributes: LossAttributes
    let batchCount: Int
    let classCount: Int
    /// Positions per batch entry: the product of d1…dk.
    let positionCount: Int
    let labelType: DType
    let writesLogProbabilities: Bool
    let threads: Int

    private var takesSoftmax: Bool { attributes.kind == .softmaxCrossEntropy }
    var scratchByteCount: Int {
        takesSoftmax && !writesLogProbabilities ? batchCount * classCount * positionCount * MemoryLayout<Float>.stride : 0
    }

    static func prepare(_ context: KernelContext, _ attributes: LossAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let scores = try context.floatType(0), labels = try context.type(1)
        guard scores.rank >= 2 else { throw context.fail("scores must be [N, C, d1…dk], got \(scores)") }
        guard labels.dtype == .int64 || labels.dtype == .int32 else {
            throw context.unsupported("labels of \(labels.dtype); int32 and int64 are supported")
        }
        var perLabel = scores.shape
        perLabel.remove(at: 1)
        guard labels.shape == perLabel else { throw context.fail("labels \(labels) must be \(perLabel) for scores \(scores)") }
        if let weights = context.optionalType(2) {
            guard try context.floatType(2).shape == [scores.shape[1]] else {
                throw context.fail("weights \(weights) must be [\(scores.shape[1])], one per class")
            }
        }
        let outputCount = context.node.outputs.count
        let writes = outputCount > 1 && !context.node.outputs[1].isEmpty
        let kernel = LossKernel(node: context.node.name, attributes: attributes, batchCount: scores.shape[0], classCount: scores.shape[1],
                                positionCount: scores.shape[2...].reduce(1, *), labelType: labels.dtype,
                                writesLogProbabilities: writes, threads: context.threads)
        let loss = ValueType(.float32, attributes.reduction == .none ? perLabel : [])
        return PreparedKernel(kernel: kernel, outputTypes: Array([loss, scores].prefix(outputCount)))
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        var logProbabilities = io.floats(0)
        if takesSoftmax {
            // The plan gives scratch whenever the second output is not written.
            guard let buffer = io.optionalOutput(1) ?? io.scratch else { return }
            let target = buffer.assumingMemoryBound(to: Float.self)
            logSoftmax(io.floats(0), target)
            logProbabilities = UnsafePointer(target)
        }
        let labels = io.input(1), weights = io.optionalInput(2)?.assumingMemoryBound(to: Float.self)
        let output = io.outputFloats(0)
        var lossSum = 0.0, weightSum = 0.0
        for batch in 0..<batchCount {
            for position in 0..<positionCount {
                let index = batch * positionCount + position
                let label = labelType == .int64 ? Int(labels.load(fromByteOffset: index * 8, as: Int64.self))
                    : Int(labels.load(fromByteOffset: index * 4, as: Int32.self))
                var loss: Float = 0, weight: Float = 0
                if label != attributes.ignoreIndex {
                    guard (0..<classCount).contains(label) else {
                        throw .shape(node: node, op: attributes.kind.onnxName,
                                     message: "label \(label) at position \(index) is outside the \(classCount) classes [0, \(classCount))"
                                        + (attributes.ignoreIndex.map { " and is not the ignore_index \($0)" } ?? ""))
                    }
                    weight = weights?[label] ?? 1
                    loss = -logProbabilities[(batch * classCount + label) * positionCount + position] * weight
                }
                if attributes.reduction == .none { output[index] = loss }
                lossSum += Double(loss)
                weightSum += Double(weight)
            }
        }
        switch attributes.reduction {
        case .none: break
        case .sum: output[0] = Float(lossSum)
        case .mean: output[0] = Float(lossSum / weightSum)
        }
    }

    /// Log-softmax over C of every (batch, position) row, rows spread over threads.
    private func logSoftmax(_ scores: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
        SoftmaxKernel(outerCount: batchCount, axisSize: classCount, innerCount: positionCount, logarithm: true, threads: threads)
            .apply(scores, output)
    }
}
