/// A dense host tensor: an element type, a shape, and contiguous row-major storage
/// aligned to 64 bytes. Tensors are values: copies share storage until one is mutated.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    public let dtype: DType
    public let shape: [Int]
    public let elementCount: Int
    private var storage: TensorStorage

    public var rank: Int { shape.count }
    public var byteCount: Int { storage.byteCount }

    /// A zero-filled tensor.
    public init(zeros shape: [Int], dtype: DType = .float32) throws(TensorError) {
        let bytes = try ShapeArithmetic.byteCount(shape, dtype: dtype)
        self.dtype = dtype
        self.shape = shape
        self.elementCount = bytes / dtype.byteSize
        self.storage = TensorStorage(byteCount: bytes)
    }

    /// A tensor holding `scalars` in row-major order; their count must match `shape`.
    public init<Element: TensorElement>(shape: [Int], scalars: [Element]) throws(TensorError) {
        try self.init(zeros: shape, dtype: Element.dtype)
        guard scalars.count == elementCount else {
            throw .elementCountMismatch(shape: shape, expected: elementCount, actual: scalars.count)
        }
        scalars.withUnsafeBytes { source in
            storage.base.copyMemory(from: source.baseAddress!, byteCount: source.count)
        }
    }

    /// A scalar (rank-0) tensor.
    public init<Element: TensorElement>(scalar: Element) {
        let storage = TensorStorage(byteCount: MemoryLayout<Element>.size)
        storage.base.storeBytes(of: scalar, as: Element.self)
        self.init(dtype: Element.dtype, shape: [], elementCount: 1, storage: storage)
    }

    /// A tensor whose storage is a copy of `bytes`, little-endian, row-major.
    public init(dtype: DType, shape: [Int], bytes: UnsafeRawBufferPointer) throws(TensorError) {
        try self.init(zeros: shape, dtype: dtype)
        guard bytes.count == byteCount else {
            throw .byteCountMismatch(shape: shape, dtype: dtype, expected: byteCount, actual: bytes.count)
        }
        if let source = bytes.baseAddress, byteCount > 0 {
            storage.base.copyMemory(from: source, byteCount: byteCount)
        }
    }

    public init(dtype: DType, shape: [Int], bytes: [UInt8]) throws(TensorError) {
        var result: Result<Tensor, TensorError>!
        bytes.withUnsafeBytes { buffer in
            result = Result { () throws(TensorError) in try Tensor(dtype: dtype, shape: shape, bytes: buffer) }
        }
        self = try result.get()
    }

    /// The elements as `Element`, which must be the tensor's own type.
    public func scalars<Element: TensorElement>(as type: Element.Type) throws(TensorError) -> [Element] {
        guard Element.dtype == dtype else { throw .dtypeMismatch(expected: Element.dtype, actual: dtype) }
        return withUnsafeBytes { Array($0.bindMemory(to: Element.self)) }
    }

    /// Every element converted to Double, whatever the dtype (for comparisons and printing).
    public var doubleValues: [Double] {
        withUnsafeBytes { bytes in
            func convert<Element: TensorElement>(_ type: Element.Type) -> [Double] {
                bytes.bindMemory(to: Element.self).map(\.doubleValue)
            }
            switch dtype {
            case .float32: return convert(Float.self)
            case .float64: return convert(Double.self)
            case .float16: return convert(Float16.self)
            case .bfloat16: return convert(BFloat16.self)
            case .int64: return convert(Int64.self)
            case .int32: return convert(Int32.self)
            case .int16: return convert(Int16.self)
            case .int8: return convert(Int8.self)
            case .uint64: return convert(UInt64.self)
            case .uint32: return convert(UInt32.self)
            case .uint16: return convert(UInt16.self)
            case .uint8: return convert(UInt8.self)
            case .bool: return convert(Bool.self)
            }
        }
    }

    /// Integer elements as Int (for shapes, axes and indices held in tensors); nil for
    /// floating-point tensors.
    public var integerValues: [Int]? {
        switch dtype {
        case .int64: try? scalars(as: Int64.self).map { Int($0) }
        case .int32: try? scalars(as: Int32.self).map { Int($0) }
        case .int16: try? scalars(as: Int16.self).map { Int($0) }
        case .int8: try? scalars(as: Int8.self).map { Int($0) }
        case .uint64: try? scalars(as: UInt64.self).map { Int(truncatingIfNeeded: $0) }
        case .uint32: try? scalars(as: UInt32.self).map { Int($0) }
        case .uint16: try? scalars(as: UInt16.self).map { Int($0) }
        case .uint8: try? scalars(as: UInt8.self).map { Int($0) }
        case .bool: try? scalars(as: Bool.self).map { $0 ? 1 : 0 }
        default: nil
        }
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(to newShape: [Int]) throws(TensorError) -> Tensor {
        let count = try ShapeArithmetic.elementCount(newShape)
        guard count == elementCount else {
            throw .elementCountMismatch(shape: newShape, expected: count, actual: elementCount)
        }
        return Tensor(dtype: dtype, shape: newShape, elementCount: count, storage: storage)
    }

    private init(dtype: DType, shape: [Int], elementCount: Int, storage: TensorStorage) {
        self.dtype = dtype
        self.shape = shape
        self.elementCount = elementCount
        self.storage = storage
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.byteCount))
    }

    public mutating func withUnsafeMutableBytes<Result>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableRawBufferPointer(start: storage.base, count: storage.byteCount))
    }

    /// Bitwise equality of type, shape and bytes (so NaNs with the same payload are equal).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.dtype == rhs.dtype, lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        return lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }

    public var description: String {
        // Integers print exactly: through Double, INT64_MAX (a common Slice end) would round
        // past Int.max.
        let shown: [String] = switch dtype {
        case _ where dtype.isFloatingPoint: doubleValues.prefix(8).map { "\($0)" }
        case .uint64: ((try? scalars(as: UInt64.self)) ?? []).prefix(8).map { "\($0)" }
        default: (integerValues ?? []).prefix(8).map { "\($0)" }
        }
        let more = elementCount > 8 ? ", … (\(elementCount) elements)" : ""
        return "\(dtype)\(shape) [\(shown.joined(separator: ", "))\(more)]"
    }
}
