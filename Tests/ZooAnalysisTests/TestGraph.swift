import ZooAnalysis
import ZooGraph
import ZooTensor

/// Builds small float32 graphs for counting tests. Weights are zeros (counting never reads
/// them) and layers have no bias unless asked, matching the weights-only course tables.
struct TestGraph {
    typealias Value = GraphBuilder.Value
    var builder: GraphBuilder

    init(_ name: String = "test") {
        builder = GraphBuilder(name: name)
    }

    mutating func input(_ name: String, _ dims: [Dim], dtype: DType = .float32) throws -> Value {
        try builder.input(name, TensorType(dtype, dims))
    }

    mutating func parameter(_ name: String, _ shape: [Int], dtype: DType = .float32) throws -> Value {
        try builder.parameter(name, Tensor(zeros: shape, dtype: dtype))
    }

    /// A convolution to `outputChannels` with a square (cubic, ...) kernel.
    mutating func conv(_ x: Value, _ outputChannels: Int, kernel: Int, stride: Int = 1, pad: Int = 0,
                       bias: Bool = false, name: String) throws -> Value {
        let spatial = x.type.rank - 2
        let inputChannels = x.type.dims[1].value ?? 0
        let weight = try parameter("\(name).weight", [outputChannels, inputChannels] + Array(repeating: kernel, count: spatial))
        let biasValue = bias ? try parameter("\(name).bias", [outputChannels]) : nil
        let attributes = ConvAttributes(strides: Array(repeating: stride, count: spatial),
                                        pads: Array(repeating: pad, count: 2 * spatial))
        return try builder.apply(.conv(attributes), x, weight, biasValue, name: name)
    }

    /// A fully connected layer as Gemm with a `[out, in]` weight (PyTorch's layout, transB).
    mutating func dense(_ x: Value, _ outputs: Int, bias: Bool = false, name: String) throws -> Value {
        let weight = try parameter("\(name).weight", [outputs, x.type.dims[1].value ?? 0])
        let biasValue = bias ? try parameter("\(name).bias", [outputs]) : nil
        return try builder.apply(.gemm(GemmAttributes(transB: true)), x, weight, biasValue, name: name)
    }

    mutating func maxPool(_ x: Value, kernel: Int, stride: Int, pad: Int = 0, name: String) throws -> Value {
        let attributes = PoolAttributes(kernelShape: [kernel, kernel], strides: [stride, stride],
                                        pads: Array(repeating: pad, count: 4))
        return try builder.apply(.maxPool(attributes), x, name: name)
    }

    mutating func apply(_ op: Op, _ inputs: Value?..., name: String) throws -> Value {
        try builder.add(op, inputs, name: name)[0]
    }

    /// An int64 Constant node (shapes, axes).
    mutating func integers(_ values: [Int], name: String) throws -> Value {
        try builder.constant(Tensor(shape: [values.count], scalars: values.map(Int64.init)), name: name)
    }

    /// The report for the finished graph with `value` as its output.
    mutating func count(_ value: Value, options: CountOptions = CountOptions()) throws -> ComplexityReport {
        try builder.output(value)
        return try ComplexityReport(counting: builder.build(), options: options)
    }
}

extension ComplexityReport {
    /// The counts of the node named `name`.
    func node(_ name: String) -> Counts? {
        nodes.first { $0.name == name }?.counts
    }

    /// Parameters and MACs summed over the nodes named in `names`.
    func sum(_ names: [String]) throws -> (parameters: Int, macs: Polynomial) {
        let selected = nodes.filter { names.contains($0.name) }.map(\.counts)
        return (selected.map(\.parameters).reduce(0, +), try Polynomial.sum(selected.map(\.macs)))
    }
}
