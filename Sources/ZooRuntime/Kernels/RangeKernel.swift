import ZooGraph
import ZooTensor

/// Range: `start + i·delta` for i in 0..<max(⌈(limit − start) / delta⌉, 0). The bounds size
/// the output, so they must be known when the plan is built; exporters compute them from
/// shapes (`arange(seq)`), which are constants by then. The values are computed once, here.
struct RangeKernel: Kernel {
    let values: Tensor

    /// More elements than this is a corrupt or hostile file, not a model.
    static let maximumCount = 1 << 31

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let dtype = try context.type(0).dtype
        guard let start = try context.requiredConstant(0, role: "start"), let limit = try context.requiredConstant(1, role: "limit"),
              let delta = try context.requiredConstant(2, role: "delta") else { throw context.fail("start, limit and delta are required") }
        guard [start, limit, delta].allSatisfy({ $0.dtype == dtype && $0.elementCount == 1 }) else {
            throw context.fail("start, limit and delta must be scalars of one type")
        }
        guard delta.doubleValues[0] != 0 else { throw context.fail("delta is 0") }
        let count = try context.checked("the element count") { () throws(ArithmeticOverflow) in
            try RangeCount.count(start: start, limit: limit, delta: delta)
        }
        guard count < maximumCount else { throw context.fail("Range of \(count) elements is too large") }
        let sequence: Tensor?
        do { sequence = try values(of: dtype, count: count, start: start, delta: delta) } catch { throw .tensor(error) }
        guard let sequence else { throw context.unsupported("Range of \(dtype)") }
        return PreparedKernel(kernel: RangeKernel(values: sequence), outputTypes: [ValueType(of: sequence)])
    }

    /// `count` elements of `dtype`, or nil for a dtype Range does not produce. Integers are
    /// computed in integers: near ±2^63 doubles round to values that do not convert back.
    private static func values(of dtype: DType, count: Int, start: Tensor, delta: Tensor) throws(TensorError) -> Tensor? {
        if let origin = start.integerValues?.first, let stride = delta.integerValues?.first {
            // In 128 bits, as i·delta may not fit in 64 (start −2^63, delta 2^62); RangeCount
            // keeps every value between start and limit, so it fits the dtype exactly.
            let elements = (0..<count).map { Int128(origin) + Int128($0) * Int128(stride) }
            return switch dtype {
            case .int64: try Tensor(shape: [count], scalars: elements.map { Int64(truncatingIfNeeded: $0) })
            case .int32: try Tensor(shape: [count], scalars: elements.map { Int32(truncatingIfNeeded: $0) })
            default: nil
            }
        }
        let (first, step) = (start.doubleValues[0], delta.doubleValues[0])
        let elements = (0..<count).map { first + Double($0) * step }
        return switch dtype {
        case .float32: try Tensor(shape: [count], scalars: elements.map { Float($0) })
        case .float64: try Tensor(shape: [count], scalars: elements)
        // Computed in Double and rounded to half once.
        case .float16: try Tensor(shape: [count], scalars: elements.map { Float16($0) })
        default: nil
        }
    }

    func run(_ io: KernelIO) {
        values.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            io.output(0).copyMemory(from: base, byteCount: bytes.count)
        }
    }
}
