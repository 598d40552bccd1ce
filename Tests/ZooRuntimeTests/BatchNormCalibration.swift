import Testing
import ZooGraph
import ZooRuntime
import ZooTensor

/// Seeded random CNNs make weak tests: activations shrink or explode layer by layer and
/// the output hardly depends on the input. Setting every BatchNormalization's running mean
/// and variance to the statistics of its input on a seeded batch keeps activations near
/// unit variance, so a wrong kernel changes the output visibly.
enum BatchNormCalibration {
    static func calibrated(_ graph: Graph, on inputs: [String: Tensor]) throws -> Graph {
        var graph = graph
        for node in graph.nodes {
            guard case .batchNormalization = node.op, let meanName = node.input(3), let varianceName = node.input(4) else { continue }
            var probe = graph
            probe.outputs = [ValueInfo(name: node.inputs[0], type: try graph.valueTypes()[node.inputs[0]]!)]
            let activations = try #require(try Session(graph: probe).run(inputs)[node.inputs[0]])
            let (mean, variance) = try channelStatistics(activations)
            for index in graph.initializers.indices {
                let name = graph.initializers[index].name
                if name == meanName { graph.initializers[index].tensor = try Tensor(shape: [mean.count], scalars: mean) }
                if name == varianceName { graph.initializers[index].tensor = try Tensor(shape: [variance.count], scalars: variance) }
            }
        }
        return graph
    }

    /// Mean and variance per channel (axis 1) over batch and spatial axes.
    static func channelStatistics(_ tensor: Tensor) throws -> (mean: [Float], variance: [Float]) {
        let values = try tensor.scalars(as: Float.self)
        let channels = tensor.shape[1], spatial = tensor.shape[2...].reduce(1, *)
        var mean = [Double](repeating: 0, count: channels), squares = [Double](repeating: 0, count: channels)
        for (index, value) in values.enumerated() {
            let channel = index / spatial % channels
            mean[channel] += Double(value)
            squares[channel] += Double(value) * Double(value)
        }
        let count = Double(values.count / channels)
        let means: [Double] = mean.map { $0 / count }
        let variances: [Double] = zip(squares, means).map { square, mean in max(square / count - mean * mean, 1e-6) }
        return (means.map { Float($0) }, variances.map { Float($0) })
    }
}
