import ZooGraph
import ZooTensor

/// Small graphs exercising many ops, with seeded weights, for round-trip and interop tests.
enum SampleGraphs {
    static func parameter(_ builder: inout GraphBuilder, _ name: String, _ shape: [Int], seed: UInt64) throws -> GraphBuilder.Value {
        try builder.parameter(name, try Tensor.random(shape: shape, distribution: .uniform(low: -0.5, high: 0.5), seed: seed))
    }

    /// Conv + BatchNorm + ReLU + pools + LRN + Gemm, batch symbolic.
    static func convolutional() throws -> Graph {
        var builder = GraphBuilder(name: "small_cnn")
        let x = try builder.input("image", TensorType(.float32, ["batch", 3, 16, 16]))
        var y = try builder.apply(.conv(ConvAttributes(kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1])), x,
                                  try parameter(&builder, "features.0.weight", [8, 3, 3, 3], seed: 1),
                                  try parameter(&builder, "features.0.bias", [8], seed: 2), name: "features.0")
        y = try builder.apply(.batchNormalization(epsilon: 1e-5), y,
                              try parameter(&builder, "features.1.weight", [8], seed: 3),
                              try parameter(&builder, "features.1.bias", [8], seed: 4),
                              try parameter(&builder, "features.1.running_mean", [8], seed: 5),
                              try builder.parameter("features.1.running_var", try Tensor(shape: [8], scalars: [Float](repeating: 1, count: 8))),
                              name: "features.1")
        y = try builder.apply(.relu, y, name: "features.2")
        y = try builder.apply(.lrn(LRNAttributes(size: 5)), y, name: "features.3")
        y = try builder.apply(.maxPool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], ceilMode: true)), y, name: "features.4")
        y = try builder.apply(.conv(ConvAttributes(kernelShape: [1, 1], group: 2)), y,
                              try parameter(&builder, "features.5.weight", [8, 4, 1, 1], seed: 6), name: "features.5")
        y = try builder.apply(.averagePool(PoolAttributes(kernelShape: [2, 2], strides: [1, 1], pads: [1, 1, 1, 1], countIncludePad: true)), y, name: "features.6")
        y = try builder.apply(.globalAveragePool, y, name: "avgpool")
        y = try builder.apply(.flatten(axis: 1), y, name: "flatten")
        y = try builder.apply(.dropout, y, name: "classifier.0")
        y = try builder.apply(.gemm(GemmAttributes(transB: true)), y,
                              try parameter(&builder, "classifier.1.weight", [10, 8], seed: 7),
                              try parameter(&builder, "classifier.1.bias", [10], seed: 8), name: "classifier.1")
        y = try builder.apply(.softmax(axis: -1), y, name: "probabilities")
        try builder.output(y)
        return try builder.build()
    }

    /// Embedding + LayerNorm + one attention head + bidirectional LSTM, batch and seq symbolic.
    static func sequence() throws -> Graph {
        var builder = GraphBuilder(name: "small_sequence")
        let ids = try builder.input("input_ids", TensorType(.int64, ["batch", "seq"]))
        let table = try parameter(&builder, "embeddings.word_embeddings.weight", [20, 8], seed: 11)
        var x = try builder.apply(.gather(axis: 0), table, ids, name: "embeddings.word_embeddings")
        x = try builder.apply(.layerNormalization(axis: -1, epsilon: 1e-12), x,
                              try builder.parameter("embeddings.LayerNorm.weight", try Tensor(shape: [8], scalars: [Float](repeating: 1, count: 8))),
                              try parameter(&builder, "embeddings.LayerNorm.bias", [8], seed: 12), name: "embeddings.LayerNorm")
        let query = try builder.apply(.matMul, x, try parameter(&builder, "query.weight", [8, 8], seed: 13), name: "query")
        let keyT = try builder.apply(.transpose(perm: [0, 2, 1]), x, name: "key_t")
        var scores = try builder.apply(.matMul, query, keyT, name: "scores")
        scores = try builder.apply(.div, scores, try builder.constant(Tensor(scalar: Float(8).squareRoot()), name: "scale"), name: "scaled")
        let weights = try builder.apply(.softmax(axis: -1), scores, name: "attention")
        var context = try builder.apply(.matMul, weights, x, name: "context")
        let half = try builder.constant(Tensor(scalar: Float(0.5)), name: "half")
        let gelu = try builder.apply(.erf, try builder.apply(.div, context, try builder.constant(Tensor(scalar: Float(2).squareRoot()), name: "sqrt2"), name: "gelu.scale"), name: "gelu.erf")
        let one = try builder.constant(Tensor(scalar: Float(1)), name: "one")
        context = try builder.apply(.mul, try builder.apply(.mul, context, half, name: "gelu.half"),
                                    try builder.apply(.add, gelu, one, name: "gelu.add"), name: "gelu")
        let timeMajor = try builder.apply(.transpose(perm: [1, 0, 2]), context, name: "time_major")
        let lstm = try builder.add(
            .lstm(LSTMAttributes(hiddenSize: 4, direction: .bidirectional)),
            [timeMajor, try parameter(&builder, "lstm.W", [2, 16, 8], seed: 14), try parameter(&builder, "lstm.R", [2, 16, 4], seed: 15),
             try parameter(&builder, "lstm.B", [2, 32], seed: 16)],
            name: "lstm", outputCount: 3)
        let shape = try builder.constant(try Tensor(shape: [3], scalars: [Int64(0), 0, -1]), name: "merge_shape")
        let merged = try builder.apply(.reshape(), try builder.apply(.transpose(perm: [0, 2, 1, 3]), lstm[0], name: "lstm.batch_major"), shape, name: "lstm.merge")
        let pooled = try builder.apply(.reduce(.max, ReduceAttributes(axes: [0], keepDims: false)), merged, name: "max_over_time")
        try builder.output(pooled)
        try builder.output(lstm[1])
        return try builder.build()
    }
}
