import ZooGraph
import ZooTensor

// Contract: a BatchNormalization whose input is read only by it and comes from a Conv
// (constant weights), or from a Gemm (constant B, beta 1, C absent or one row), is folded
// into that producer's weights and bias: W'ₖ = Wₖ·fₖ, b'ₖ = (bₖ − meanₖ)·fₖ + βₖ with
// fₖ = γₖ / √(varₖ + ε). The BatchNormalization node disappears.
extension PlanGraph {
    mutating func foldBatchNorms() throws(RuntimeError) {
        var index = 0
        while index < nodes.count {
            guard case .batchNormalization(let epsilon) = nodes[index].op,
                  let producerIndex = foldTarget(of: index),
                  let statistics = batchNormStatistics(nodes[index], epsilon: epsilon)
            else { index += 1; continue }
            if try fold(statistics, into: producerIndex) {
                nodes[producerIndex].outputs = [nodes[index].outputs[0]]
                nodes.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// The Conv or Gemm feeding BN node `index`, when BN is its only reader.
    private func foldTarget(of index: Int) -> Int? {
        let readers = readerCounts()
        guard let input = nodes[index].input(0), nodes[index].outputs.dropFirst().allSatisfy(\.isEmpty),
              readers[input] == 1, !outputs.contains(input),
              let producer = producers()[input], nodes[producer].epilogue.isEmpty else { return nil }
        switch nodes[producer].op {
        case .conv: return producer
        case .gemm(let attributes) where attributes.beta == 1: return producer
        default: return nil
        }
    }

    /// Per channel: factor f and shift β − mean·f.
    private func batchNormStatistics(_ node: PlanNode, epsilon: Float) -> (factor: [Float], shift: [Float])? {
        let values = (1...4).map { node.input($0).flatMap { constants[$0] }.flatMap { try? $0.scalars(as: Float.self) } }
        guard let scale = values[0], let bias = values[1], let mean = values[2], let variance = values[3] else { return nil }
        let factor = zip(scale, variance).map { $0 / ($1 + epsilon).squareRoot() }
        let shift = (0..<factor.count).map { bias[$0] - mean[$0] * factor[$0] }
        return (factor, shift)
    }

    /// Rewrites the producer's weight and bias as new constants; false when its operands
    /// do not allow it (non-constant weights, a C with several rows).
    private mutating func fold(_ statistics: (factor: [Float], shift: [Float]), into producerIndex: Int) throws(RuntimeError) -> Bool {
        let producer = nodes[producerIndex]
        guard let weightName = producer.input(1), let weight = constants[weightName],
              var weights = try? weight.scalars(as: Float.self) else { return false }
        let channels = statistics.factor.count
        var bias = [Float](repeating: 0, count: channels)
        if let biasName = producer.input(2) {
            guard let values = constants[biasName].flatMap({ try? $0.scalars(as: Float.self) }), values.count == channels else {
                return false
            }
            bias = values
        }
        // Which weight elements belong to output channel k: rows of a Conv weight or of a
        // transposed Gemm B, columns of a plain Gemm B.
        let channelOfElement: (Int) -> Int
        switch producer.op {
        case .gemm(let attributes) where !attributes.transB:
            guard weight.shape.count == 2, weight.shape[1] == channels else { return false }
            channelOfElement = { $0 % channels }
        default:
            guard weight.shape.first == channels else { return false }
            let perChannel = weight.elementCount / channels
            channelOfElement = { $0 / perChannel }
        }
        for element in weights.indices { weights[element] *= statistics.factor[channelOfElement(element)] }
        for channel in 0..<channels { bias[channel] = bias[channel] * statistics.factor[channel] + statistics.shift[channel] }
        let foldedWeight = "\(producer.name)#batchnorm_weight", foldedBias = "\(producer.name)#batchnorm_bias"
        do {
            constants[foldedWeight] = try Tensor(shape: weight.shape, scalars: weights)
            constants[foldedBias] = try Tensor(shape: [channels], scalars: bias)
        } catch { throw .tensor(error) }
        types[foldedWeight] = ValueType(of: constants[foldedWeight]!)
        types[foldedBias] = ValueType(.float32, [channels])
        nodes[producerIndex].inputs = [producer.inputs[0], foldedWeight, foldedBias]
        return true
    }
}
