/// Element types a tensor can hold. The raw values are the names used in text dumps,
/// manifests and error messages.
public enum DType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case float32, float16, bfloat16, float64, int64, int32, int16, int8, uint64, uint32, uint16, uint8, bool

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64, .uint64: 8
        case .float32, .int32, .uint32: 4
        case .float16, .bfloat16, .int16, .uint16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: true
        default: false
        }
    }

    public var isInteger: Bool {
        switch self {
        case .int64, .int32, .int16, .int8, .uint64, .uint32, .uint16, .uint8: true
        default: false
        }
    }

    public var isUnsignedInteger: Bool {
        switch self {
        case .uint64, .uint32, .uint16, .uint8: true
        default: false
        }
    }

    public var description: String { rawValue }
}
