import ZooGraph

/// MaxPool of int8 or uint8 tensors (with its optional Indices output), as onnxruntime's
/// CPU provider takes them.
///
/// Contract: every 8-bit value is exactly a float32, and a maximum is one of its window's
/// values, so pooling a float32 copy (`PoolingKernel`, or oneDNN through it) and converting
/// the maxima back is exact. Indices do not depend on the dtype. A window wholly in the
/// padding, whose float maximum is −∞, gives the type's lowest value.
struct EightBitMaxPoolKernel: Kernel {
    let pool: any Kernel
    let signed: Bool
    let inputCount: Int, outputCount: Int

    private var inputBytes: Int { MemoryPlanner.aligned(inputCount * MemoryLayout<Float>.size) }
    private var outputBytes: Int { MemoryPlanner.aligned(outputCount * MemoryLayout<Float>.size) }
    var scratchByteCount: Int { inputBytes + outputBytes + pool.scratchByteCount }

    /// The kernel for an int8 or uint8 input, nil for other dtypes.
    static func prepareIfEightBit(_ context: KernelContext, _ attributes: PoolAttributes) throws(RuntimeError) -> PreparedKernel? {
        let input = try context.type(0)
        guard input.dtype == .int8 || input.dtype == .uint8 else { return nil }
        var inputTypes = context.inputTypes
        inputTypes[0] = ValueType(.float32, input.shape)
        let floatContext = KernelContext(node: context.node, inputTypes: inputTypes, constants: [],
                                         options: context.options, compilesPrimitives: context.compilesPrimitives)
        let pooled = try PoolingKernel.prepare(floatContext, attributes, reduction: .max)
        var outputTypes = pooled.outputTypes
        outputTypes[0] = ValueType(input.dtype, outputTypes[0].shape)
        let kernel = EightBitMaxPoolKernel(pool: pooled.kernel, signed: input.dtype == .int8, inputCount: input.elementCount,
                                           outputCount: outputTypes[0].elementCount)
        return PreparedKernel(kernel: kernel, outputTypes: outputTypes)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let scratch = io.scratch, inputCount > 0, outputCount > 0 else { return }
        let floats = scratch.assumingMemoryBound(to: Float.self)
        let maxima = (scratch + inputBytes).assumingMemoryBound(to: Float.self)
        if signed { widen(io.input(0), as: Int8.self, into: floats) } else { widen(io.input(0), as: UInt8.self, into: floats) }
        var failure: RuntimeError?
        withUnsafeTemporaryAllocation(of: UnsafeRawPointer?.self, capacity: 1) { inputs in
            inputs[0] = UnsafeRawPointer(floats)
            withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: io.outputs.count) { outputs in
                for index in io.outputs.indices { outputs[index] = io.outputs[index] }
                outputs[0] = UnsafeMutableRawPointer(maxima)
                let poolIO = KernelIO(inputs: UnsafeBufferPointer(inputs), outputs: UnsafeBufferPointer(outputs),
                                      scratch: scratch + inputBytes + outputBytes, stream: io.stream, threads: io.threads)
                do throws(RuntimeError) { try pool.run(poolIO) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        if signed { narrow(maxima, into: io.output(0), as: Int8.self) } else { narrow(maxima, into: io.output(0), as: UInt8.self) }
    }

    private func widen<Element: FixedWidthInteger>(_ source: UnsafeRawPointer, as _: Element.Type, into floats: UnsafeMutablePointer<Float>) {
        let values = source.assumingMemoryBound(to: Element.self)
        for index in 0..<inputCount { floats[index] = Float(values[index]) }
    }

    private func narrow<Element: FixedWidthInteger>(_ maxima: UnsafePointer<Float>, into destination: UnsafeMutableRawPointer,
                                                    as _: Element.Type) {
        let values = destination.assumingMemoryBound(to: Element.self)
        for index in 0..<outputCount {
            let maximum = maxima[index]
            values[index] = maximum >= Float(Element.min) ? Element(maximum) : Element.min
        }
    }
}
