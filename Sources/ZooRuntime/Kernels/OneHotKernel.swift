import ZooGraph
import ZooTensor

/// OneHot: the output, `[indices axes before axis, depth, indices axes from axis]`, holds
/// `values[0]` (off) except where the depth position equals the index (negative indices
/// count from depth), which holds `values[1]` (on). An index outside [-depth, depth) leaves
/// its row all off, as the spec says. Float indices are truncated toward zero.
struct OneHotKernel: Kernel {
    let outerCount: Int
    let innerCount: Int
    let depth: Int
    let indexType: DType
    let valueSize: Int

    static let indexTypes: Set<DType> = [.int64, .int32, .int8, .uint8, .float32, .float64]

    static func prepare(_ context: KernelContext, axis: Int) throws(RuntimeError) -> PreparedKernel {
        let indices = try context.type(0), values = try context.type(2)
        guard indexTypes.contains(indices.dtype) else { throw context.unsupported("indices of \(indices.dtype) are not supported") }
        guard values.shape == [2] else { throw context.fail("values \(values) must be [off, on]") }
        guard let depthTensor = context.constant(1) else { throw context.runTimeValue(1, role: "depth") }
        guard let depth = MovementOp.oneHotDepth(depthTensor) else { throw context.fail("depth must be one positive integer") }
        let position = try context.axis(axis, rank: indices.rank + 1)
        var shape = indices.shape
        shape.insert(depth, at: position)
        let output = ValueType(values.dtype, shape)
        try context.requireAllocatable(output, value: context.node.outputs[0])
        let kernel = OneHotKernel(outerCount: indices.shape[..<position].reduce(1, *), innerCount: indices.shape[position...].reduce(1, *),
                                  depth: depth, indexType: indices.dtype, valueSize: values.dtype.byteSize)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    func run(_ io: KernelIO) {
        let indices = io.input(0), values = io.input(2), output = io.output(0), size = valueSize
        ElementBytes.fill(output, count: outerCount * depth * innerCount, with: values, size: size)
        for outer in 0..<outerCount {
            for inner in 0..<innerCount {
                guard var index = self.index(indices, outer * innerCount + inner) else { continue }
                if index < 0 { index += depth }
                guard index >= 0 && index < depth else { continue }
                ElementBytes.copy(output + ((outer * depth + index) * innerCount + inner) * size, values + size, size: size)
            }
        }
    }

    /// Index `position` as an integer; nil for a float that is none (NaN, out of range).
    private func index(_ indices: UnsafeRawPointer, _ position: Int) -> Int? {
        switch indexType {
        case .int64: Int(indices.load(fromByteOffset: position * 8, as: Int64.self))
        case .int32: Int(indices.load(fromByteOffset: position * 4, as: Int32.self))
        case .int8: Int(indices.load(fromByteOffset: position, as: Int8.self))
        case .uint8: Int(indices.load(fromByteOffset: position, as: UInt8.self))
        case .float32: Int(exactly: indices.load(fromByteOffset: position * 4, as: Float.self).rounded(.towardZero))
        default: Int(exactly: indices.load(fromByteOffset: position * 8, as: Double.self).rounded(.towardZero))
        }
    }
}
