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
        guard let start = context.constant(0), let limit = context.constant(1), let delta = context.constant(2) else {
            throw context.unsupported("start, limit and delta must be known once input shapes are: they size the output")
        }
        guard [start, limit, delta].allSatisfy({ $0.dtype == dtype && $0.elementCount == 1 }) else {
            throw context.fail("start, limit and delta must be scalars of one type")
        }
        // Doubles hold every int64 bound a tensor size can have exactly.
        let (first, last, step) = (start.doubleValues[0], limit.doubleValues[0], delta.doubleValues[0])
        guard step != 0 else { throw context.fail("delta is 0") }
        let steps = ((last - first) / step).rounded(.up)
        let count = max(try context.checked("start \(first), limit \(last) and delta \(step) give \(steps) elements") {
            () throws(ArithmeticOverflow) in try CheckedArithmetic.integer(steps)
        }, 0)
        guard count < maximumCount else { throw context.fail("Range of \(count) elements is too large") }
        let sequence: Tensor?
        do { sequence = try values(of: dtype, count: count) { first + Double($0) * step } } catch { throw .tensor(error) }
        guard let sequence else { throw context.unsupported("Range of \(dtype)") }
        return PreparedKernel(kernel: RangeKernel(values: sequence), outputTypes: [ValueType(of: sequence)])
    }

    /// `count` elements of `dtype`, or nil for a dtype Range does not produce.
    private static func values(of dtype: DType, count: Int, _ element: (Int) -> Double) throws(TensorError) -> Tensor? {
        switch dtype {
        case .int64: try Tensor(shape: [count], scalars: (0..<count).map { Int64(element($0)) })
        case .int32: try Tensor(shape: [count], scalars: (0..<count).map { Int32(element($0)) })
        case .float32: try Tensor(shape: [count], scalars: (0..<count).map { Float(element($0)) })
        case .float64: try Tensor(shape: [count], scalars: (0..<count).map(element))
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
