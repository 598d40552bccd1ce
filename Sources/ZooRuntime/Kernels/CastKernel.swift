import ZooTensor

/// Cast between float32/64, int64/32/8, uint8 and bool. Floats become integers by
/// truncation toward zero (C semantics, as onnxruntime does); anything non-zero is true.
struct CastKernel: Kernel {
    let source: DType
    let target: DType
    let count: Int

    static let supported: Set<DType> = [.float32, .float64, .int64, .int32, .int8, .uint8, .bool]

    static func prepare(_ context: KernelContext, to target: DType) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0)
        guard supported.contains(input.dtype), supported.contains(target) else {
            throw context.unsupported("cast from \(input.dtype) to \(target)")
        }
        return PreparedKernel(kernel: CastKernel(source: input.dtype, target: target, count: input.elementCount),
                              outputTypes: [ValueType(target, input.shape)])
    }

    func run(_ io: KernelIO) {
        let input = io.input(0), output = io.output(0)
        for index in 0..<count {
            if source.isFloatingPoint {
                store(load(input, index), output, index)
            } else {
                storeInteger(loadInteger(input, index), output, index)
            }
        }
    }

    private func load(_ base: UnsafeRawPointer, _ index: Int) -> Double {
        switch source {
        case .float32: Double(base.load(fromByteOffset: index * 4, as: Float.self))
        default: base.load(fromByteOffset: index * 8, as: Double.self)
        }
    }

    private func loadInteger(_ base: UnsafeRawPointer, _ index: Int) -> Int64 {
        switch source {
        case .int64: base.load(fromByteOffset: index * 8, as: Int64.self)
        case .int32: Int64(base.load(fromByteOffset: index * 4, as: Int32.self))
        case .int8: Int64(base.load(fromByteOffset: index, as: Int8.self))
        case .uint8: Int64(base.load(fromByteOffset: index, as: UInt8.self))
        default: base.load(fromByteOffset: index, as: Bool.self) ? 1 : 0
        }
    }

    private func store(_ value: Double, _ base: UnsafeMutableRawPointer, _ index: Int) {
        switch target {
        case .float32: base.storeBytes(of: Float(value), toByteOffset: index * 4, as: Float.self)
        case .float64: base.storeBytes(of: value, toByteOffset: index * 8, as: Double.self)
        case .bool: base.storeBytes(of: value != 0, toByteOffset: index, as: Bool.self)
        default: storeInteger(value.isFinite ? Int64(clamping: Int64(exactly: value.rounded(.towardZero)) ?? 0) : 0, base, index)
        }
    }

    private func storeInteger(_ value: Int64, _ base: UnsafeMutableRawPointer, _ index: Int) {
        switch target {
        case .int64: base.storeBytes(of: value, toByteOffset: index * 8, as: Int64.self)
        case .int32: base.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: index * 4, as: Int32.self)
        case .int8: base.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: index, as: Int8.self)
        case .uint8: base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: index, as: UInt8.self)
        case .bool: base.storeBytes(of: value != 0, toByteOffset: index, as: Bool.self)
        case .float32: base.storeBytes(of: Float(value), toByteOffset: index * 4, as: Float.self)
        default: base.storeBytes(of: Double(value), toByteOffset: index * 8, as: Double.self)
        }
    }
}
