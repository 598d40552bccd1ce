import ZooGraph
import ZooTensor

/// Reads scales and zero points whatever their dtype (they are few next to the data, so
/// one switch per read costs little): scales as Float, zero points as Int32; an absent
/// zero point reads as 0.
struct ParameterReader {
    let base: UnsafeRawPointer?
    let dtype: DType

    func float(_ index: Int) -> Float {
        guard let base else { return 0 }
        return switch dtype {
        case .float16: Float(base.load(fromByteOffset: index * 2, as: Float16.self))
        case .bfloat16: base.load(fromByteOffset: index * 2, as: BFloat16.self).floatValue
        default: base.load(fromByteOffset: index * 4, as: Float.self)
        }
    }

    func integer(_ index: Int) -> Int32 {
        guard let base else { return 0 }
        return switch dtype {
        case .int8: Int32(base.load(fromByteOffset: index, as: Int8.self))
        case .uint8: Int32(base.load(fromByteOffset: index, as: UInt8.self))
        case .int16: Int32(base.load(fromByteOffset: index * 2, as: Int16.self))
        case .uint16: Int32(base.load(fromByteOffset: index * 2, as: UInt16.self))
        default: base.load(fromByteOffset: index * 4, as: Int32.self)
        }
    }

    /// Every scale must be positive and finite: a zero scale divides by zero, a negative one
    /// is no quantizer's output. Checked at each run, as scales may be computed.
    func requirePositiveScales(count: Int, role: String, node: String, op: String) throws(RuntimeError) {
        for index in 0..<count {
            let scale = float(index)
            guard scale > 0, scale.isFinite else {
                throw .shape(node: node, op: op, message: "\(role) \(count == 1 ? "" : "[\(index)] ")is \(scale); scales must be positive and finite")
            }
        }
    }
}

/// How QuantizeLinear's and DequantizeLinear's scale and zero point cover the data, with
/// the data seen as `[outer, length, inner]` around the quantization axis: one parameter
/// for all, one per index of the axis, or one per block of `blockSize` indices along it
/// (the parameter then has the data's shape with `⌈length / blockSize⌉` on the axis).
struct QuantizationLayout: Sendable {
    enum Coverage: Sendable { case tensor, axis, blocks(size: Int) }

    let coverage: Coverage
    let outer: Int, length: Int, inner: Int
    let parameterCount: Int

    init(data: [Int], parameter: [Int], _ quantization: QuantizationAxis, _ context: KernelContext) throws(RuntimeError) {
        let count = data.reduce(1, *)
        parameterCount = parameter.reduce(1, *)
        guard parameter.count > 0, parameterCount != 1 || quantization.blockSize > 0 && parameter.count == data.count else {
            (coverage, outer, length, inner) = (.tensor, 1, 1, count)
            return
        }
        let axis = try context.axis(quantization.axis, rank: data.count)
        (outer, length, inner) = (data[..<axis].reduce(1, *), data[axis], data[(axis + 1)...].reduce(1, *))
        if quantization.blockSize == 0 {
            guard parameter == [data[axis]] else {
                throw context.fail("scale \(parameter) must be a scalar or [\(data[axis])] (axis \(axis) of the input \(data))")
            }
            coverage = .axis
            return
        }
        guard quantization.blockSize > 0 else { throw context.fail("block_size \(quantization.blockSize) must be positive") }
        var expected = data
        expected[axis] = (data[axis] + quantization.blockSize - 1) / quantization.blockSize
        guard parameter == expected else {
            throw context.fail("blocked scale \(parameter) must be \(expected) for input \(data) with block_size \(quantization.blockSize) on axis \(axis)")
        }
        coverage = .blocks(size: quantization.blockSize)
    }

    /// Calls `body(start, count, parameterIndex, parameterStride)` on spans of consecutive
    /// elements covering `range`; element `start + i` uses parameter `parameterIndex + i · parameterStride`.
    func forEachSpan(in range: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        var index = range.lowerBound
        while index < range.upperBound {
            let row = index / inner, column = index % inner
            let end = min(range.upperBound, (row + 1) * inner)
            switch coverage {
            case .tensor: body(index, end - index, 0, 0)
            case .axis: body(index, end - index, row % length, 0)
            case .blocks(let size):
                let blocks = (length + size - 1) / size
                body(index, end - index, ((row / length) * blocks + (row % length) / size) * inner + column, 1)
            }
            index = end
        }
    }

    /// Calls `body(element, scale, zeroPoint)` for every element in `range`, reading a
    /// span's parameters once where its elements share them.
    @inline(__always)
    func forEachElement(in range: Range<Int>, scales: ParameterReader, zeroPoints: ParameterReader, _ body: (Int, Float, Int32) -> Void) {
        forEachSpan(in: range) { start, length, parameter, stride in
            if stride == 0 {
                let scale = scales.float(parameter), zeroPoint = zeroPoints.integer(parameter)
                for index in start..<start + length { body(index, scale, zeroPoint) }
            } else {
                for offset in 0..<length { body(start + offset, scales.float(parameter + offset), zeroPoints.integer(parameter + offset)) }
            }
        }
    }
}
