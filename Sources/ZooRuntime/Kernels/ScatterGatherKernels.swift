import ZooGraph
import ZooTensor

/// GatherElements (`reduction` nil) and ScatterElements. Every position p of `indices`
/// addresses data at p with its `axis` coordinate replaced by `indices[p]` (negative counts
/// from the end): GatherElements copies that element to output p; ScatterElements copies
/// data to the output, then writes (or reduces) `updates[p]` there, in index order, so a
/// repeated index keeps the last update. An index outside the axis stops the run with an
/// error naming the node.
struct ElementIndexKernel: Kernel {
    let node: String
    let op: String
    let reduction: ScatterReduction?
    let dtype: DType
    let dataBytes: Int
    /// Indices shape, data strides, the indexed axis and its length in data.
    let indexShape: [Int]
    let dataStrides: [Int]
    let axis: Int
    let axisLength: Int
    let indexIsInt64: Bool
    let threads: Int

    static func prepare(_ context: KernelContext, axis: Int, reduction: ScatterReduction?) throws(RuntimeError) -> PreparedKernel {
        let data = try context.type(0), indices = try context.type(1)
        guard indices.dtype == .int64 || indices.dtype == .int32 else { throw context.fail("indices must be int64 or int32, got \(indices.dtype)") }
        let resolved = try context.axis(axis, rank: data.rank)
        guard indices.rank == data.rank, indices.rank >= 1,
              indices.shape.indices.allSatisfy({ $0 == resolved || indices.shape[$0] <= data.shape[$0] }) else {
            throw context.fail("indices \(indices) must have the rank of data \(data) and be no longer on the other axes")
        }
        if reduction != nil {
            let updates = try context.type(2)
            guard updates == ValueType(data.dtype, indices.shape) else {
                throw context.fail("updates \(updates) must be \(ValueType(data.dtype, indices.shape))")
            }
            try ScatterArithmetic.requireSupported(reduction, data.dtype, context)
        }
        let kernel = ElementIndexKernel(
            node: context.node.name, op: context.opName, reduction: reduction, dtype: data.dtype, dataBytes: data.byteCount,
            indexShape: indices.shape, dataStrides: StridedLayout.rowMajorStrides(data.shape), axis: resolved,
            axisLength: data.shape[resolved], indexIsInt64: indices.dtype == .int64, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(data.dtype, reduction == nil ? indices.shape : data.shape)])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let data = io.input(0), indices = io.input(1), output = io.output(0), size = dtype.byteSize
        try validate(indices)
        guard let reduction else {
            // Gathered rows are independent: split over the threads.
            Parallel.forRanges(rowCount, threads: threads, minimumChunk: max(1, (1 << 14) / max(rowLength, 1))) { rows in
                forEachIndex(indices, rows: rows) { position, offset in
                    ElementBytes.copy(output + position * size, data + offset * size, size: size)
                }
            }
            return
        }
        if output != UnsafeMutableRawPointer(mutating: data) { output.copyMemory(from: data, byteCount: dataBytes) }
        let updates = io.input(2)
        forEachIndex(indices, rows: 0..<rowCount) { position, offset in
            ScatterArithmetic.apply(reduction, dtype, to: output + offset * size, update: updates + position * size)
        }
    }

    private var rowLength: Int { indexShape.last ?? 1 }
    private var rowCount: Int { indexShape.contains(0) ? 0 : indexShape.dropLast().reduce(1, *) }

    /// Throws, naming the node, at the first index outside the axis.
    private func validate(_ indices: UnsafeRawPointer) throws(RuntimeError) {
        for position in 0..<(rowCount * rowLength) {
            let index = ElementBytes.index(indices, position, isInt64: indexIsInt64)
            guard index >= -axisLength && index < axisLength else {
                throw .shape(node: node, op: op, message: "index \(index) is outside [-\(axisLength), \(axisLength)) on axis \(axis)")
            }
        }
    }

    /// Calls `body(position in indices, element offset in data)` in index order for the
    /// index rows (all axes but the last) in `rows`; the indices are valid.
    private func forEachIndex(_ indices: UnsafeRawPointer, rows: Range<Int>, _ body: (Int, Int) -> Void) {
        let last = indexShape.count - 1
        for row in rows {
            // The row's offset in data, without the indexed axis.
            var remaining = row, base = 0
            for dimension in indexShape.indices.dropLast().reversed() {
                if dimension != axis { base += (remaining % indexShape[dimension]) * dataStrides[dimension] }
                remaining /= indexShape[dimension]
            }
            for column in 0..<rowLength {
                let position = row * rowLength + column
                let index = ElementBytes.index(indices, position, isInt64: indexIsInt64)
                body(position, base + (index < 0 ? index + axisLength : index) * dataStrides[axis] + (axis == last ? 0 : column))
            }
        }
    }
}

/// ScatterND: data copied to the output, then each index tuple `indices[…, :k]` (int64,
/// negative counting from the end) addresses a slice of the axes after the first k, which
/// `updates[…]` replaces or is reduced into, in index order. An index out of range stops the
/// run with an error naming the node.
struct ScatterNDKernel: Kernel {
    let node: String
    let reduction: ScatterReduction
    let dtype: DType
    let dataBytes: Int
    let tupleCount: Int
    let addressedSizes: [Int]
    let addressedStrides: [Int]
    let sliceElements: Int

    static func prepare(_ context: KernelContext, reduction: ScatterReduction) throws(RuntimeError) -> PreparedKernel {
        let data = try context.type(0), indices = try context.type(1), updates = try context.type(2)
        guard indices.dtype == .int64, let depth = indices.shape.last, (1...data.rank).contains(depth) else {
            throw context.fail("indices \(indices) must be int64 tuples of 1 to \(data.rank) coordinates")
        }
        let expected = ValueType(data.dtype, Array(indices.shape.dropLast()) + Array(data.shape[depth...]))
        guard updates == expected else { throw context.fail("updates \(updates) must be \(expected)") }
        try ScatterArithmetic.requireSupported(reduction, data.dtype, context)
        let kernel = ScatterNDKernel(
            node: context.node.name, reduction: reduction, dtype: data.dtype, dataBytes: data.byteCount,
            tupleCount: indices.shape.dropLast().reduce(1, *), addressedSizes: Array(data.shape[..<depth]),
            addressedStrides: Array(StridedLayout.rowMajorStrides(data.shape)[..<depth]), sliceElements: data.shape[depth...].reduce(1, *))
        return PreparedKernel(kernel: kernel, outputTypes: [data])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let data = io.input(0), indices = io.input(1).assumingMemoryBound(to: Int64.self), updates = io.input(2)
        let output = io.output(0), size = dtype.byteSize, depth = addressedSizes.count
        if output != UnsafeMutableRawPointer(mutating: data) { output.copyMemory(from: data, byteCount: dataBytes) }
        for tuple in 0..<tupleCount {
            var offset = 0
            for axis in 0..<depth {
                let raw = Int(indices[tuple * depth + axis])
                let index = raw < 0 ? raw + addressedSizes[axis] : raw
                guard index >= 0 && index < addressedSizes[axis] else {
                    throw .shape(node: node, op: "ScatterND", message: "index \(raw) is outside [-\(addressedSizes[axis]), \(addressedSizes[axis])) on axis \(axis)")
                }
                offset += index * addressedStrides[axis]
            }
            let target = output + offset * size, source = updates + tuple * sliceElements * size
            guard reduction != .none else {
                target.copyMemory(from: source, byteCount: sliceElements * size)
                continue
            }
            for element in 0..<sliceElements {
                ScatterArithmetic.apply(reduction, dtype, to: target + element * size, update: source + element * size)
            }
        }
    }
}

/// How a scatter combines an update with the element it lands on. Integers wrap on
/// overflow (as onnxruntime's C++ does) instead of trapping; max and min keep the target
/// unless the update compares greater (less), as `std::max`/`std::min` do.
enum ScatterArithmetic {
    static let reducibleTypes: Set<DType> = [.float32, .float64, .float16, .int64, .int32, .int8, .uint8]

    static func requireSupported(_ reduction: ScatterReduction?, _ dtype: DType, _ context: KernelContext) throws(RuntimeError) {
        guard let reduction, reduction != .none, !reducibleTypes.contains(dtype) else { return }
        throw context.unsupported("reduction '\(reduction.rawValue)' of \(dtype) elements is not supported")
    }

    @inline(__always)
    static func apply(_ reduction: ScatterReduction, _ dtype: DType, to target: UnsafeMutableRawPointer, update: UnsafeRawPointer) {
        switch dtype {
        case .float32: combine(Float.self, reduction, target, update)
        case .float64: combine(Double.self, reduction, target, update)
        case .float16: combine(Float16.self, reduction, target, update)
        case .int64: combine(Int64.self, reduction, target, update)
        case .int32: combine(Int32.self, reduction, target, update)
        case .int8: combine(Int8.self, reduction, target, update)
        case .uint8: combine(UInt8.self, reduction, target, update)
        default: ElementBytes.copy(target, update, size: dtype.byteSize)  // reduction none: any dtype
        }
    }

    @inline(__always)
    private static func combine<Element: Reducible>(_ type: Element.Type, _ reduction: ScatterReduction,
                                                    _ target: UnsafeMutableRawPointer, _ update: UnsafeRawPointer) {
        let current = target.loadUnaligned(as: Element.self), value = update.loadUnaligned(as: Element.self)
        let result: Element = switch reduction {
        case .none: value
        case .add: Element.sum(current, value)
        case .mul: Element.product(current, value)
        case .max: current < value ? value : current
        case .min: value < current ? value : current
        }
        target.storeBytes(of: result, as: Element.self)
    }
}

/// Element types the scatter reductions compute in.
protocol Reducible: Comparable {
    static func sum(_ a: Self, _ b: Self) -> Self
    static func product(_ a: Self, _ b: Self) -> Self
}

extension Reducible where Self: FixedWidthInteger {
    static func sum(_ a: Self, _ b: Self) -> Self { a &+ b }
    static func product(_ a: Self, _ b: Self) -> Self { a &* b }
}

extension Reducible where Self: BinaryFloatingPoint {
    static func sum(_ a: Self, _ b: Self) -> Self { a + b }
    static func product(_ a: Self, _ b: Self) -> Self { a * b }
}

extension Float: Reducible {}
extension Double: Reducible {}
extension Float16: Reducible {}
extension Int64: Reducible {}
extension Int32: Reducible {}
extension Int8: Reducible {}
extension UInt8: Reducible {}
