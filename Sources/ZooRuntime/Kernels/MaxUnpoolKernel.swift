import ZooGraph
import ZooTensor

/// MaxUnpool: a zero output, sized like the pool's input (`(n − 1)·stride + k − pads` per
/// spatial axis) or by the constant `output_shape` input, with each input value written
/// at the flat output position its index names (MaxPool's Indices). An index outside the
/// output is an error naming it; two values for one position leave the later one.
struct MaxUnpoolKernel: Kernel {
    let inputCount: Int
    let outputCount: Int
    let node: String

    static func prepare(_ context: KernelContext, _ attributes: MaxUnpoolAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0), indices = try context.type(1)
        guard indices.dtype == .int64, indices.shape == input.shape else {
            throw context.fail("indices must be int64 shaped like the input \(input.shape), got \(indices)")
        }
        guard input.rank >= 3 else { throw context.fail("input must have spatial axes, got \(input)") }
        let outputShape: [Int]
        if let requested = try context.constantIntegers(2, role: "output_shape") {
            guard requested.count == input.rank, requested.allSatisfy({ $0 >= 0 }),
                  Array(requested.prefix(2)) == Array(input.shape.prefix(2)) else {
                throw context.fail("output_shape \(requested) must keep the input's batch and channels \(Array(input.shape.prefix(2)))")
            }
            outputShape = requested
        } else {
            let count = input.rank - 2
            let strides = attributes.strides ?? Array(repeating: 1, count: count)
            let pads = attributes.pads ?? Array(repeating: 0, count: 2 * count)
            guard attributes.kernelShape.count == count, strides.count == count, pads.count == 2 * count,
                  (attributes.kernelShape + strides).allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else {
                throw context.fail("kernel_shape and strides (at least 1) and pads (at least 0) must have one value per spatial axis")
            }
            var spatial: [Int] = []
            for axis in 0..<count {
                let size = try context.checked("spatial axis \(axis)") { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.add(try CheckedArithmetic.multiply(input.shape[axis + 2] - 1, strides[axis]),
                                              attributes.kernelShape[axis]) - pads[axis] - pads[axis + count]
                }
                guard size >= 0 else { throw context.fail("spatial axis \(axis): pads \(pads) exceed the output") }
                spatial.append(size)
            }
            outputShape = Array(input.shape.prefix(2)) + spatial
        }
        let output = ValueType(.float32, outputShape)
        try context.requireAllocatable(output, value: context.node.outputs[0])
        let kernel = MaxUnpoolKernel(inputCount: input.elementCount, outputCount: output.elementCount, node: context.node.name)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let input = io.floats(0), output = io.outputFloats(0)
        let indices = io.input(1).assumingMemoryBound(to: Int64.self)
        output.update(repeating: 0, count: outputCount)
        for index in 0..<inputCount {
            let target = indices[index]
            guard target >= 0, target < outputCount else {
                throw .shape(node: node, op: "MaxUnpool", message: "index \(target) at position \(index) is outside the \(outputCount) output elements")
            }
            output[Int(target)] = input[index]
        }
    }
}
