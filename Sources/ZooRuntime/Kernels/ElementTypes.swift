import ZooTensor

/// The Swift element type of every dtype, for kernels written once over element types.
/// Each kernel asks for the family it needs; a dtype outside it gives nil.
enum ElementTypes {
    /// Floating-point dtypes; half types widen through Double (`TensorElement.doubleValue`).
    static func floating(_ dtype: DType) -> (any TensorElement.Type)? {
        switch dtype {
        case .float32: Float.self
        case .float64: Double.self
        case .float16: Float16.self
        case .bfloat16: BFloat16.self
        default: nil
        }
    }

    static func integer(_ dtype: DType) -> (any IntegerElement.Type)? {
        switch dtype {
        case .int64: Int64.self
        case .int32: Int32.self
        case .int16: Int16.self
        case .int8: Int8.self
        case .uint64: UInt64.self
        case .uint32: UInt32.self
        case .uint16: UInt16.self
        case .uint8: UInt8.self
        default: nil
        }
    }

    static func castable(_ dtype: DType) -> any CastableElement.Type {
        if let type = floating(dtype) as? any CastableElement.Type { return type }
        return integer(dtype) ?? Bool.self
    }
}

typealias IntegerElement = FixedWidthInteger & TensorElement & CastableElement

/// A value between two element types, as Cast passes it: floats widened to Double, integers
/// to 64 bits of their own signedness, bools as 0 or 1.
enum CastValue {
    case floating(Double)
    case signed(Int64)
    case unsigned(UInt64)
}

protocol CastableElement: TensorElement {
    var castValue: CastValue { get }
    init(castValue: CastValue)
}

/// Floats cast from integers round to nearest; they all widen exactly to Double.
protocol CastableFloat: CastableElement {}

extension CastableFloat {
    var castValue: CastValue { .floating(doubleValue) }

    init(castValue: CastValue) {
        switch castValue {
        case .floating(let value): self.init(fromDouble: value)
        case .signed(let value): self.init(fromDouble: Double(value))
        case .unsigned(let value): self.init(fromDouble: Double(value))
        }
    }
}

extension Float: CastableFloat {}
extension Double: CastableFloat {}
extension Float16: CastableFloat {}
extension BFloat16: CastableFloat {}

/// Integers from floats truncate toward zero (C's conversion, as onnxruntime does); a float
/// beyond 64 bits or not finite gives 0. Between integers the low bits are kept.
extension CastableElement where Self: FixedWidthInteger {
    var castValue: CastValue { Self.isSigned ? .signed(Int64(truncatingIfNeeded: self)) : .unsigned(UInt64(truncatingIfNeeded: self)) }

    init(castValue: CastValue) {
        switch castValue {
        case .floating(let value):
            let truncated = value.rounded(.towardZero)
            if let signed = Int64(exactly: truncated) {
                self.init(truncatingIfNeeded: signed)
            } else {
                self.init(truncatingIfNeeded: UInt64(exactly: truncated) ?? 0)
            }
        case .signed(let value): self.init(truncatingIfNeeded: value)
        case .unsigned(let value): self.init(truncatingIfNeeded: value)
        }
    }
}

extension Int64: CastableElement {}
extension Int32: CastableElement {}
extension Int16: CastableElement {}
extension Int8: CastableElement {}
extension UInt64: CastableElement {}
extension UInt32: CastableElement {}
extension UInt16: CastableElement {}
extension UInt8: CastableElement {}

/// Anything non-zero (NaN included) is true.
extension Bool: CastableElement {
    var castValue: CastValue { .unsigned(self ? 1 : 0) }

    init(castValue: CastValue) {
        switch castValue {
        case .floating(let value): self = value != 0
        case .signed(let value): self = value != 0
        case .unsigned(let value): self = value != 0
        }
    }
}
