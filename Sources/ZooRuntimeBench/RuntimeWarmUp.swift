import ZooGraph
import ZooRuntime
import ZooTensor

/// Brings up what a process pays for once, before any model's memory is measured: the Swift
/// runtime's type metadata for the executor's kernels, oneDNN's global state, OpenMP's
/// worker threads. A small network unlike any zoo model (so none of its oneDNN primitives
/// is reused from oneDNN's cache) is compiled and run, then dropped. In a cold process these
/// one-time costs came to about 0.7 MB, more than LeNet-5's weights and arena together.
enum RuntimeWarmUp {
    static func run(threads: Int) throws {
        var builder = GraphBuilder(name: "warm_up")
        let image = try builder.input("image", TensorType(.float32, [1, 3, 13, 13]))
        var x = try builder.apply(.conv(ConvAttributes(pads: [1, 1, 1, 1])), image,
                                  try builder.parameter("conv.weight", try .random(shape: [7, 3, 3, 3], distribution: .normal(mean: 0, standardDeviation: 1), seed: 1)),
                                  name: "conv")
        x = try builder.apply(.relu, x, name: "relu")
        x = try builder.apply(.maxPool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2])), x, name: "pool")
        x = try builder.apply(.flatten(axis: 1), x, name: "flatten")
        x = try builder.apply(.gemm(GemmAttributes(transB: true)), x,
                              try builder.parameter("fc.weight", try .random(shape: [5, 252], distribution: .normal(mean: 0, standardDeviation: 1), seed: 2)),
                              name: "fc")
        try builder.output(try builder.apply(.softmax(axis: -1), x, name: "softmax"))
        let session = try Session(graph: try builder.build(), options: SessionOptions(threads: threads))
        let input = ["image": try Tensor.random(shape: [1, 3, 13, 13], distribution: .normal(mean: 0, standardDeviation: 1), seed: 3)]
        for _ in 0..<3 { _ = try session.run(input) }
    }
}
