/// IsNaN on float32: a bool per element. PyTorch's attention export writes
/// `Where(IsNaN(softmax), 0, softmax)` so that fully masked rows give zeros, not NaN. Other
/// floating dtypes go to the generic `ElementwiseKernel`.
struct IsNaNKernel: Kernel {
    let count: Int

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        guard try context.type(0).dtype == .float32 else { return try ElementwiseKernel.prepareUnary(context, .isNaN) }
        let input = try context.floatType(0)
        return PreparedKernel(kernel: IsNaNKernel(count: input.elementCount), outputTypes: [ValueType(.bool, input.shape)])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.output(0).assumingMemoryBound(to: Bool.self)
        for index in 0..<count { output[index] = input[index].isNaN }
    }
}
