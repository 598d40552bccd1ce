import CHDF5
import ZooTensor

/// How each `DType` is stored as an HDF5 datatype (Schemas/weights-hdf5.md, "Element types"),
/// always little-endian, which is also the byte order of tensor storage, so the same type
/// serves as the file type and the memory type and reading needs no conversion.
///
/// | DType | HDF5 datatype |
/// |---|---|
/// | float32, float64 | `H5T_IEEE_F32LE`, `H5T_IEEE_F64LE` |
/// | float16 | 16-bit IEEE float: sign bit 15, exponent bits 10–14 (bias 15), mantissa bits 0–9; h5py's float16 |
/// | bfloat16 | 16-bit float: sign bit 15, exponent bits 7–14 (bias 127), mantissa bits 0–6; what HDF5 2.0 predefines as `H5T_FLOAT_BFLOAT16LE` |
/// | int64, int32, int16, int8 | `H5T_STD_I64LE`, `H5T_STD_I32LE`, `H5T_STD_I16LE`, `H5T_STD_I8LE` |
/// | uint64, uint32, uint16, uint8 | `H5T_STD_U64LE`, `H5T_STD_U32LE`, `H5T_STD_U16LE`, `H5T_STD_U8LE` |
/// | bool | enum over int8 {FALSE = 0, TRUE = 1}; h5py's bool |
enum HDF5ElementType {
    /// The bit layout of a floating-point datatype, as `H5Tget_fields` and `H5Tget_ebias` give it.
    private struct FloatFields: Equatable {
        var byteSize: Int
        var signPosition: Int
        var exponentPosition: Int
        var exponentBits: Int
        var mantissaPosition: Int
        var mantissaBits: Int
        var exponentBias: Int
    }

    private static let float16 = FloatFields(
        byteSize: 2, signPosition: 15, exponentPosition: 10, exponentBits: 5, mantissaPosition: 0, mantissaBits: 10,
        exponentBias: 15)
    private static let bfloat16 = FloatFields(
        byteSize: 2, signPosition: 15, exponentPosition: 7, exponentBits: 8, mantissaPosition: 0, mantissaBits: 7,
        exponentBias: 127)
    private static let float32 = FloatFields(
        byteSize: 4, signPosition: 31, exponentPosition: 23, exponentBits: 8, mantissaPosition: 0, mantissaBits: 23,
        exponentBias: 127)
    private static let float64 = FloatFields(
        byteSize: 8, signPosition: 63, exponentPosition: 52, exponentBits: 11, mantissaPosition: 0, mantissaBits: 52,
        exponentBias: 1023)

    /// A new datatype identifier for `dtype`; the caller closes it with `H5Tclose`.
    static func make(_ dtype: DType) -> hid_t {
        switch dtype {
        case .float32: H5Tcopy(zoo_H5T_IEEE_F32LE())
        case .float64: H5Tcopy(zoo_H5T_IEEE_F64LE())
        case .float16: makeFloat(float16)
        case .bfloat16: makeFloat(bfloat16)
        case .int64: H5Tcopy(zoo_H5T_STD_I64LE())
        case .int32: H5Tcopy(zoo_H5T_STD_I32LE())
        case .int16: H5Tcopy(zoo_H5T_STD_I16LE())
        case .int8: H5Tcopy(zoo_H5T_STD_I8LE())
        case .uint64: H5Tcopy(zoo_H5T_STD_U64LE())
        case .uint32: H5Tcopy(zoo_H5T_STD_U32LE())
        case .uint16: H5Tcopy(zoo_H5T_STD_U16LE())
        case .uint8: H5Tcopy(zoo_H5T_STD_U8LE())
        case .bool: makeBoolean()
        }
    }

    /// The DType a stored datatype reads as, or nil when it is none of the types above
    /// (in either byte order: libhdf5 swaps big-endian data while reading).
    static func dtype(of type: hid_t) -> DType? {
        let byteSize = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            // Padding bits or an explicit leading mantissa bit would not match tensor storage.
            guard H5Tget_precision(type) == byteSize * 8, H5Tget_norm(type) == H5T_NORM_IMPLIED else { return nil }
            switch floatFields(of: type) {
            case float32: return .float32
            case float64: return .float64
            case float16: return .float16
            case bfloat16: return .bfloat16
            default: return nil
            }
        case H5T_INTEGER:
            let isSigned = H5Tget_sign(type) == H5T_SGN_2
            switch (byteSize, isSigned) {
            case (8, true): return .int64
            case (4, true): return .int32
            case (2, true): return .int16
            case (1, true): return .int8
            case (8, false): return .uint64
            case (4, false): return .uint32
            case (2, false): return .uint16
            case (1, false): return .uint8
            default: return nil
            }
        case H5T_ENUM:
            return isBoolean(type) ? .bool : nil
        default:
            return nil
        }
    }

    /// A phrase naming a datatype for error messages: "16-bit signed integer", "string".
    static func describe(_ type: hid_t) -> String {
        let bits = H5Tget_size(type) * 8
        switch H5Tget_class(type) {
        case H5T_INTEGER: return "\(bits)-bit \(H5Tget_sign(type) == H5T_SGN_2 ? "signed" : "unsigned") integer"
        case H5T_FLOAT:
            let fields = floatFields(of: type)
            return "\(bits)-bit float with a \(fields?.exponentBits ?? 0)-bit exponent and \(fields?.mantissaBits ?? 0)-bit mantissa"
        case H5T_STRING: return "string"
        case H5T_COMPOUND: return "compound"
        case H5T_ENUM: return "\(bits)-bit enum"
        case H5T_ARRAY: return "array"
        case H5T_VLEN: return "variable-length sequence"
        case H5T_REFERENCE: return "reference"
        case H5T_OPAQUE: return "opaque"
        case H5T_BITFIELD: return "bitfield"
        default: return "unknown datatype"
        }
    }

    private static func makeFloat(_ fields: FloatFields) -> hid_t {
        // Start from float32 and narrow it: the order h5py uses, because H5Tset_size refuses
        // to cut through bit fields that are still in place.
        let type = H5Tcopy(zoo_H5T_IEEE_F32LE())
        H5Tset_fields(type, fields.signPosition, fields.exponentPosition, fields.exponentBits,
                      fields.mantissaPosition, fields.mantissaBits)
        H5Tset_size(type, fields.byteSize)
        H5Tset_ebias(type, fields.exponentBias)
        return type
    }

    private static func floatFields(of type: hid_t) -> FloatFields? {
        var signPosition = 0, exponentPosition = 0, exponentBits = 0, mantissaPosition = 0, mantissaBits = 0
        guard H5Tget_fields(type, &signPosition, &exponentPosition, &exponentBits, &mantissaPosition, &mantissaBits) >= 0
        else { return nil }
        return FloatFields(
            byteSize: H5Tget_size(type), signPosition: signPosition, exponentPosition: exponentPosition,
            exponentBits: exponentBits, mantissaPosition: mantissaPosition, mantissaBits: mantissaBits,
            exponentBias: H5Tget_ebias(type))
    }

    private static func makeBoolean() -> hid_t {
        let type = H5Tenum_create(zoo_H5T_NATIVE_INT8())
        var falseValue: Int8 = 0, trueValue: Int8 = 1
        H5Tenum_insert(type, "FALSE", &falseValue)
        H5Tenum_insert(type, "TRUE", &trueValue)
        return type
    }

    private static func isBoolean(_ type: hid_t) -> Bool {
        guard H5Tget_size(type) == 1, H5Tget_nmembers(type) == 2 else { return false }
        var falseValue: Int8 = -1, trueValue: Int8 = -1
        return H5Tenum_valueof(type, "FALSE", &falseValue) >= 0 && H5Tenum_valueof(type, "TRUE", &trueValue) >= 0
            && falseValue == 0 && trueValue == 1
    }
}
