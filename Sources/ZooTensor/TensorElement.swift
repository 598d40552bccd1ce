/// A Swift type that can be stored in a tensor, tied to its `DType`.
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
    /// The value as a Double, for conversions and comparisons in tests.
    var doubleValue: Double { get }
    init(fromDouble value: Double)
}

extension Float: TensorElement {
    public static var dtype: DType { .float32 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Float(value) }
}

extension Double: TensorElement {
    public static var dtype: DType { .float64 }
    public var doubleValue: Double { self }
    public init(fromDouble value: Double) { self = value }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: TensorElement {
    public static var dtype: DType { .float16 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Float16(value) }
}
#endif

extension BFloat16: TensorElement {
    public static var dtype: DType { .bfloat16 }
    public var doubleValue: Double { Double(floatValue) }
    public init(fromDouble value: Double) { self.init(Float(roundingToOdd: value)) }
}

extension Int64: TensorElement {
    public static var dtype: DType { .int64 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Int64(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension Int32: TensorElement {
    public static var dtype: DType { .int32 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Int32(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension Int8: TensorElement {
    public static var dtype: DType { .int8 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Int8(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension Int16: TensorElement {
    public static var dtype: DType { .int16 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = Int16(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension UInt64: TensorElement {
    public static var dtype: DType { .uint64 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = UInt64(exactly: value.rounded()) ?? 0 }
}

extension UInt32: TensorElement {
    public static var dtype: DType { .uint32 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = UInt32(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension UInt16: TensorElement {
    public static var dtype: DType { .uint16 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = UInt16(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension UInt8: TensorElement {
    public static var dtype: DType { .uint8 }
    public var doubleValue: Double { Double(self) }
    public init(fromDouble value: Double) { self = UInt8(clamping: Int64(exactly: value.rounded()) ?? 0) }
}

extension Bool: TensorElement {
    public static var dtype: DType { .bool }
    public var doubleValue: Double { self ? 1 : 0 }
    public init(fromDouble value: Double) { self = value != 0 }
}
