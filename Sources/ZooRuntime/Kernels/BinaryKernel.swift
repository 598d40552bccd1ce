import Foundation
import ZooGraph
import ZooTensor

/// Add, Sub, Mul, Div, Pow, Max, Equal, GreaterOrEqual and And with numpy broadcasting.
/// float32 runs 16 lanes at a time where both operands are contiguous or broadcast along the
/// row; int64 (shape arithmetic, mostly folded away) and bool (masks) run scalar. Other
/// dtypes go to the generic `ElementwiseKernel`.
struct BinaryKernel: Kernel {
    enum Operation: Sendable {
        case add, sub, mul, div, pow, max, equal, greaterOrEqual, and

        var isComparison: Bool { self == .equal || self == .greaterOrEqual }

        /// The generic kernel's function, for dtypes this kernel does not take.
        var scalar: ScalarBinary {
            switch self {
            case .add: .add
            case .sub: .sub
            case .mul: .mul
            case .div: .div
            case .pow: .pow
            case .max: .max
            case .equal: .equal
            case .greaterOrEqual: .greaterOrEqual
            case .and: .and
            }
        }
    }

    let operation: Operation
    let dtype: DType
    let layout: StridedLayout
    let threads: Int

    static func prepare(_ context: KernelContext, _ operation: Operation) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let left = try context.type(0), right = try context.type(1)
        guard let shape = broadcastShape(left.shape, right.shape) else {
            throw context.fail("cannot broadcast \(left) with \(right)")
        }
        let supported: Set<DType> = switch operation {
        case .pow: [.float32]
        case .and: [.bool]
        default: [.float32, .int64, .int32]
        }
        guard supported.contains(left.dtype), left.dtype == right.dtype || operation == .pow,
              operation != .pow || right.dtype == .float32 else {
            return try ElementwiseKernel.prepareBinary(context, operation.scalar)
        }
        // Channels-last runs over the stored order N, H, W, C. The layout pass lets through
        // only operands stored that way or stored the same in both layouts (one element, or
        // [N or 1, C or 1, 1, 1]), so permuting every rank-4 shape gives each one's strides.
        let stored = { (logical: [Int]) in
            context.node.layout == .channelsLast && logical.count == 4 ? [0, 2, 3, 1].map { logical[$0] } : logical
        }
        let layout = StridedLayout(shape: stored(shape), strides: [
            StridedLayout.rowMajorStrides(stored(shape)),
            StridedLayout.broadcastStrides(of: stored(left.shape), to: stored(shape)),
            StridedLayout.broadcastStrides(of: stored(right.shape), to: stored(shape)),
        ])
        let kernel = BinaryKernel(operation: operation, dtype: left.dtype, layout: layout, threads: context.threads)
        let isBoolean = operation.isComparison || operation == .and
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(isBoolean ? .bool : left.dtype, shape)])
    }

    /// numpy's rule: align shapes on the right; each pair of sizes must match or one be 1.
    static func broadcastShape(_ left: [Int], _ right: [Int]) -> [Int]? {
        let rank = max(left.count, right.count)
        var shape: [Int] = []
        for axis in 0..<rank {
            let a = axis < rank - left.count ? 1 : left[axis - (rank - left.count)]
            let b = axis < rank - right.count ? 1 : right[axis - (rank - right.count)]
            guard a == b || a == 1 || b == 1 else { return nil }
            shape.append(a == 1 ? b : a)
        }
        return shape
    }

    func run(_ io: KernelIO) {
        let output = io.output(0), left = io.input(0), right = io.input(1)
        Parallel.forRanges(layout.elementCount, threads: threads, minimumChunk: 1 << 15) { range in
            layout.forEachSpan(in: range) { outputOffset, offsets, count in
                switch dtype {
                case .float32: floatSpan(output, outputOffset, left, right, offsets, count)
                case .int64: integerSpan(Int64.self, output, outputOffset, left, right, offsets, count)
                case .bool: andSpan(output, outputOffset, left, right, offsets, count)
                default: integerSpan(Int32.self, output, outputOffset, left, right, offsets, count)
                }
            }
        }
    }

    private func floatSpan(_ output: UnsafeMutableRawPointer, _ outputOffset: Int, _ left: UnsafeRawPointer,
                           _ right: UnsafeRawPointer, _ offsets: SIMD4<Int>, _ count: Int) {
        switch operation {
        case .add: FloatSpan.apply(output, outputOffset, left, right, offsets, count, layout.rowStrides, +, +)
        case .sub: FloatSpan.apply(output, outputOffset, left, right, offsets, count, layout.rowStrides, -, -)
        case .mul: FloatSpan.apply(output, outputOffset, left, right, offsets, count, layout.rowStrides, *, *)
        case .div: FloatSpan.apply(output, outputOffset, left, right, offsets, count, layout.rowStrides, /, /)
        case .max: FloatSpan.apply(output, outputOffset, left, right, offsets, count, layout.rowStrides, pointwiseMax, Swift.max)
        case .pow: powSpan(output.assumingMemoryBound(to: Float.self) + outputOffset, left, right, offsets, count)
        case .equal, .greaterOrEqual: compareSpan(Float.self, output, outputOffset, left, right, offsets, count)
        case .and: break  // bool only
        }
    }

    private func powSpan(_ output: UnsafeMutablePointer<Float>, _ left: UnsafeRawPointer, _ right: UnsafeRawPointer,
                         _ offsets: SIMD4<Int>, _ count: Int) {
        let base = left.assumingMemoryBound(to: Float.self), exponent = right.assumingMemoryBound(to: Float.self)
        for index in 0..<count {
            let x = base[offsets[1] + index * layout.rowStrides[1]]
            let y = exponent[offsets[2] + index * layout.rowStrides[2]]
            output[index] = y == 2 ? x * x : Foundation.pow(x, y)
        }
    }

    private func integerSpan<Element: FixedWidthInteger>(
        _ type: Element.Type, _ output: UnsafeMutableRawPointer, _ outputOffset: Int, _ left: UnsafeRawPointer,
        _ right: UnsafeRawPointer, _ offsets: SIMD4<Int>, _ count: Int
    ) {
        if operation.isComparison { return compareSpan(Element.self, output, outputOffset, left, right, offsets, count) }
        let a = left.assumingMemoryBound(to: Element.self), b = right.assumingMemoryBound(to: Element.self)
        let result = output.assumingMemoryBound(to: Element.self) + outputOffset
        for index in 0..<count {
            let x = a[offsets[1] + index * layout.rowStrides[1]], y = b[offsets[2] + index * layout.rowStrides[2]]
            switch operation {
            case .add: result[index] = x &+ y
            case .sub: result[index] = x &- y
            case .mul: result[index] = x &* y
            // Integer division by zero has no value in ONNX; 0 keeps the run alive. The most
            // negative value divided by −1 wraps instead of trapping.
            case .div: result[index] = y == 0 ? 0 : x.dividedReportingOverflow(by: y).partialValue
            case .max: result[index] = Swift.max(x, y)
            case .pow, .equal, .greaterOrEqual, .and: break
            }
        }
    }

    private func compareSpan<Element: Comparable>(
        _ type: Element.Type, _ output: UnsafeMutableRawPointer, _ outputOffset: Int, _ left: UnsafeRawPointer,
        _ right: UnsafeRawPointer, _ offsets: SIMD4<Int>, _ count: Int
    ) {
        let a = left.assumingMemoryBound(to: Element.self), b = right.assumingMemoryBound(to: Element.self)
        let result = output.assumingMemoryBound(to: Bool.self) + outputOffset
        for index in 0..<count {
            let x = a[offsets[1] + index * layout.rowStrides[1]], y = b[offsets[2] + index * layout.rowStrides[2]]
            result[index] = operation == .equal ? x == y : x >= y
        }
    }

    private func andSpan(_ output: UnsafeMutableRawPointer, _ outputOffset: Int, _ left: UnsafeRawPointer,
                         _ right: UnsafeRawPointer, _ offsets: SIMD4<Int>, _ count: Int) {
        let a = left.assumingMemoryBound(to: Bool.self), b = right.assumingMemoryBound(to: Bool.self)
        let result = output.assumingMemoryBound(to: Bool.self) + outputOffset
        for index in 0..<count {
            result[index] = a[offsets[1] + index * layout.rowStrides[1]] && b[offsets[2] + index * layout.rowStrides[2]]
        }
    }
}

/// The float32 inner loop shared by the arithmetic ops: vectors where both operands are
/// contiguous or constant along the row, scalars otherwise.
enum FloatSpan {
    @inline(__always)
    static func apply(_ output: UnsafeMutableRawPointer, _ outputOffset: Int, _ left: UnsafeRawPointer,
                      _ right: UnsafeRawPointer, _ offsets: SIMD4<Int>, _ count: Int, _ rowStrides: [Int],
                      _ vector: (Float16x, Float16x) -> Float16x, _ scalar: (Float, Float) -> Float) {
        let leftStride = rowStrides[1], rightStride = rowStrides[2]
        let a = left + offsets[1] * 4, b = right + offsets[2] * 4, result = output + outputOffset * 4
        var index = 0
        if leftStride <= 1 && rightStride <= 1 {
            let leftSplat = Float16x(repeating: a.load(as: Float.self))
            let rightSplat = Float16x(repeating: b.load(as: Float.self))
            while index + 16 <= count {
                let x = leftStride == 1 ? a.vector(at: index) : leftSplat
                let y = rightStride == 1 ? b.vector(at: index) : rightSplat
                result.storeVector(vector(x, y), at: index)
                index += 16
            }
        }
        let x = a.assumingMemoryBound(to: Float.self), y = b.assumingMemoryBound(to: Float.self)
        let z = result.assumingMemoryBound(to: Float.self)
        while index < count {
            z[index] = scalar(x[index * leftStride], y[index * rightStride])
            index += 1
        }
    }
}
