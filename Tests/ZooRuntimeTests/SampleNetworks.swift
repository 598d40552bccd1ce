import ZooGraph
import ZooTensor

/// Small networks that contain every pattern the passes rewrite.
enum SampleNetworks {
    static func parameter(_ builder: inout GraphBuilder, _ name: String, _ shape: [Int], seed: UInt64,
                          low: Float = -0.5, high: Float = 0.5) throws -> GraphBuilder.Value {
        try builder.parameter(name, try random(shape, seed: seed, low: low, high: high))
    }

    static func batchNorm(_ builder: inout GraphBuilder, _ x: GraphBuilder.Value, channels: Int, name: String, seed: UInt64)
        throws -> GraphBuilder.Value
    {
        try builder.apply(.batchNormalization(epsilon: 1e-5), x,
                          try parameter(&builder, "\(name).weight", [channels], seed: seed, low: 0.5, high: 1.5),
                          try parameter(&builder, "\(name).bias", [channels], seed: seed + 1),
                          try parameter(&builder, "\(name).running_mean", [channels], seed: seed + 2),
                          try parameter(&builder, "\(name).running_var", [channels], seed: seed + 3, low: 0.5, high: 2),
                          name: name)
    }

    /// Conv-BN-ReLU, a residual block, Dropout and Identity, a Gemm followed by BN; batch symbolic.
    static func residualCNN() throws -> Graph {
        var builder = GraphBuilder(name: "residual_cnn")
        let image = try builder.input("image", TensorType(.float32, ["batch", 3, 9, 9]))
        var x = try builder.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1])), image,
                                  try parameter(&builder, "conv1.weight", [8, 3, 3, 3], seed: 1), name: "conv1")
        x = try batchNorm(&builder, x, channels: 8, name: "bn1", seed: 10)
        let skip = try builder.apply(.relu, x, name: "relu1")
        x = try builder.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1])), skip,
                              try parameter(&builder, "conv2.weight", [8, 8, 3, 3], seed: 2),
                              try parameter(&builder, "conv2.bias", [8], seed: 3), name: "conv2")
        x = try batchNorm(&builder, x, channels: 8, name: "bn2", seed: 20)
        x = try builder.apply(.add, x, skip, name: "residual")
        x = try builder.apply(.relu, x, name: "relu2")
        x = try builder.apply(.globalAveragePool, x, name: "pool")
        x = try builder.apply(.flatten(axis: 1), x, name: "flatten")
        x = try builder.apply(.dropout, x, name: "dropout")
        x = try builder.apply(.gemm(GemmAttributes(transB: true)), x, try parameter(&builder, "fc.weight", [6, 8], seed: 4),
                              try parameter(&builder, "fc.bias", [6], seed: 5), name: "fc")
        x = try batchNorm(&builder, x, channels: 6, name: "bn_fc", seed: 30)
        x = try builder.apply(.identity, x, name: "identity")
        try builder.output(try builder.apply(.relu, x, name: "logits"))
        return try builder.build()
    }

    /// A transformer-style block: reshapes from a Shape→Gather→Unsqueeze→Concat chain,
    /// MatMul + bias, exact GELU, residual Add and LayerNorm, and a dead branch; batch and
    /// seq symbolic.
    static func transformerBlock(hidden: Int = 16) throws -> Graph {
        var builder = GraphBuilder(name: "transformer_block")
        let x = try builder.input("hidden_states", TensorType(.float32, ["batch", "seq", .fixed(hidden)]))
        let shape = try builder.apply(.shape(), x, name: "shape")
        let batch = try builder.apply(.gather(axis: 0), shape, try builder.constant(Tensor(scalar: Int64(0)), name: "zero"), name: "batch")
        let seq = try builder.apply(.gather(axis: 0), shape, try builder.constant(Tensor(scalar: Int64(1)), name: "one_index"), name: "seq")
        let axes = try builder.constant(try int64s([0]), name: "axes")
        let flatShape = try builder.apply(.concat(axis: 0), try builder.constant(try int64s([-1]), name: "minus_one"),
                                          try builder.constant(try int64s([hidden]), name: "hidden"), name: "flat_shape")
        let flat = try builder.apply(.reshape(), x, flatShape, name: "flatten_tokens")
        _ = try builder.apply(.tanh, flat, name: "unused_branch")
        var y = try builder.apply(.matMul, flat, try parameter(&builder, "intermediate.weight", [hidden, 4 * hidden], seed: 40), name: "intermediate")
        y = try builder.apply(.add, y, try parameter(&builder, "intermediate.bias", [4 * hidden], seed: 41), name: "intermediate.bias_add")
        let scaled = try builder.apply(.div, y, try builder.constant(Tensor(scalar: Float(2).squareRoot()), name: "sqrt2"), name: "gelu.div")
        let erf = try builder.apply(.erf, scaled, name: "gelu.erf")
        let onePlus = try builder.apply(.add, erf, try builder.constant(Tensor(scalar: Float(1)), name: "one"), name: "gelu.add")
        let half = try builder.apply(.mul, y, try builder.constant(Tensor(scalar: Float(0.5)), name: "half"), name: "gelu.half")
        y = try builder.apply(.mul, half, onePlus, name: "gelu")
        y = try builder.apply(.matMul, y, try parameter(&builder, "output.weight", [4 * hidden, hidden], seed: 42), name: "output")
        y = try builder.apply(.add, try parameter(&builder, "output.bias", [hidden], seed: 43), y, name: "output.bias_add")
        y = try builder.apply(.add, y, flat, name: "output.residual")
        let unflatShape = try builder.apply(.concat(axis: 0),
                                            try builder.apply(.unsqueeze, batch, axes, name: "batch_1d"),
                                            try builder.apply(.unsqueeze, seq, axes, name: "seq_1d"),
                                            try builder.constant(try int64s([hidden]), name: "hidden_1d"), name: "unflat_shape")
        y = try builder.apply(.reshape(), y, unflatShape, name: "unflatten_tokens")
        y = try builder.apply(.layerNormalization(axis: -1, epsilon: 1e-12), y,
                              try parameter(&builder, "LayerNorm.weight", [hidden], seed: 44, low: 0.5, high: 1.5),
                              try parameter(&builder, "LayerNorm.bias", [hidden], seed: 45), name: "LayerNorm")
        try builder.output(y)
        return try builder.build()
    }
}

extension SampleNetworks {
    /// A chain the channels-last pass keeps NHWC from the first convolution to the Flatten:
    /// a fused residual Add, a stride-2 conv, MaxPool with ceil_mode, both AveragePool
    /// padding modes, an unfused elementwise Add, Sigmoid, a channel Concat. Batch symbolic.
    static func channelsLastCNN() throws -> Graph {
        var builder = GraphBuilder(name: "channels_last_cnn")
        let image = try builder.input("image", TensorType(.float32, ["batch", 3, 11, 11]))
        func conv(_ x: GraphBuilder.Value, _ input: Int, _ output: Int, _ name: String, seed: UInt64,
                  _ attributes: ConvAttributes = ConvAttributes(pads: [1, 1, 1, 1])) throws -> GraphBuilder.Value {
            try builder.apply(.conv(attributes), x, try parameter(&builder, "\(name).weight", [output, input, 3, 3], seed: seed),
                              try parameter(&builder, "\(name).bias", [output], seed: seed + 1), name: name)
        }
        let stem = try builder.apply(.relu, try conv(image, 3, 16, "stem", seed: 1), name: "stem.relu")
        var x = try builder.apply(.add, try conv(stem, 16, 16, "block", seed: 3), stem, name: "block.residual")
        x = try builder.apply(.relu, x, name: "block.relu")
        x = try conv(x, 16, 24, "down", seed: 5, ConvAttributes(strides: [2, 2], pads: [1, 1, 1, 1]))
        let maximum = try builder.apply(.maxPool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], ceilMode: true)), x,
                                        name: "max_pool")
        let average = try builder.apply(.averagePool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 0, 0],
                                                                    ceilMode: true)), x, name: "average_pool")
        let included = try builder.apply(.averagePool(PoolAttributes(kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1],
                                                                     countIncludePad: true)), x, name: "padded_average_pool")
        let sum = try builder.apply(.sigmoid, try builder.apply(.add, maximum, average, name: "pools.add"), name: "pools.sigmoid")
        x = try builder.apply(.concat(axis: 1), sum, included, name: "concat")
        x = try builder.apply(.flatten(axis: 1), x, name: "flatten")
        let features = 48 * 3 * 3
        x = try builder.apply(.gemm(GemmAttributes(transB: true)), x, try parameter(&builder, "fc.weight", [5, features], seed: 7),
                              try parameter(&builder, "fc.bias", [5], seed: 8), name: "fc")
        try builder.output(x)
        return try builder.build()
    }

    /// A mobile block as MobileNet v2 and EfficientNet export it: a convolution with ReLU6
    /// (Clip 0…6), a depthwise one with SiLU spelled x·Sigmoid(x), squeeze-excitation (global
    /// pool, two 1×1 convolutions, a Sigmoid gate multiplied into the activations), a
    /// projection, a per-channel constant scale, and a pool to the classifier.
    static func mobileBlockCNN() throws -> Graph {
        var builder = GraphBuilder(name: "mobile_block")
        let image = try builder.input("image", TensorType(.float32, ["batch", 3, 10, 10]))
        func conv(_ x: GraphBuilder.Value, _ input: Int, _ output: Int, _ name: String, seed: UInt64, kernel: Int = 1,
                  group: Int = 1) throws -> GraphBuilder.Value {
            let pad = kernel / 2
            return try builder.apply(.conv(ConvAttributes(pads: [pad, pad, pad, pad], group: group)), x,
                                     try parameter(&builder, "\(name).weight", [output, input / group, kernel, kernel], seed: seed),
                                     try parameter(&builder, "\(name).bias", [output], seed: seed + 1), name: name)
        }
        let zero = try builder.constant(Tensor(scalar: Float(0)), name: "zero")
        let six = try builder.constant(Tensor(scalar: Float(6)), name: "six")
        var x = try builder.apply(.clip, try conv(image, 3, 16, "expand", seed: 1, kernel: 3), zero, six, name: "expand.relu6")
        let depthwise = try conv(x, 16, 16, "depthwise", seed: 3, kernel: 3, group: 16)
        x = try builder.apply(.mul, depthwise, try builder.apply(.sigmoid, depthwise, name: "depthwise.sigmoid"), name: "depthwise.silu")
        var gate = try builder.apply(.globalAveragePool, x, name: "se.pool")
        gate = try builder.apply(.relu, try conv(gate, 16, 4, "se.reduce", seed: 5), name: "se.relu")
        gate = try builder.apply(.sigmoid, try conv(gate, 4, 16, "se.expand", seed: 7), name: "se.sigmoid")
        x = try builder.apply(.mul, gate, x, name: "se.scale")
        x = try conv(x, 16, 8, "project", seed: 9)
        x = try builder.apply(.mul, x, try parameter(&builder, "layer_scale", [1, 8, 1, 1], seed: 11), name: "layer_scale.mul")
        x = try builder.apply(.flatten(axis: 1), try builder.apply(.globalAveragePool, x, name: "pool"), name: "flatten")
        try builder.output(x)
        return try builder.build()
    }
}
