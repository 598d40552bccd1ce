import ZooTensor

/// Cast (and CastLike) between any two dtypes, element by element through `CastValue`:
/// floats become integers by truncation toward zero (C semantics, as onnxruntime does),
/// integers keep their low bits, anything non-zero is true.
struct CastKernel: Kernel {
    let source: DType
    let target: DType
    let count: Int

    static func prepare(_ context: KernelContext, to target: DType) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        return PreparedKernel(kernel: CastKernel(source: input.dtype, target: target, count: input.elementCount),
                              outputTypes: [ValueType(target, input.shape)])
    }

    func run(_ io: KernelIO) {
        convert(io, from: ElementTypes.castable(source), to: ElementTypes.castable(target))
    }

    private func convert<Source: CastableElement, Target: CastableElement>(
        _ io: KernelIO, from: Source.Type, to: Target.Type
    ) {
        let input = io.input(0).assumingMemoryBound(to: Source.self)
        let output = io.output(0).assumingMemoryBound(to: Target.self)
        for index in 0..<count { output[index] = Target(castValue: input[index].castValue) }
    }
}
