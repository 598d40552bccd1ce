import CONNXProto
import ZooTensor

/// ONNX `TensorProto.DataType` codes for our element types.
extension DType {
    var onnxCode: Int32 {
        let code: Onnx__TensorProto__DataType = switch self {
        case .float32: ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT
        case .float16: ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16
        case .bfloat16: ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16
        case .float64: ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE
        case .int64: ONNX__TENSOR_PROTO__DATA_TYPE__INT64
        case .int32: ONNX__TENSOR_PROTO__DATA_TYPE__INT32
        case .int16: ONNX__TENSOR_PROTO__DATA_TYPE__INT16
        case .int8: ONNX__TENSOR_PROTO__DATA_TYPE__INT8
        case .uint64: ONNX__TENSOR_PROTO__DATA_TYPE__UINT64
        case .uint32: ONNX__TENSOR_PROTO__DATA_TYPE__UINT32
        case .uint16: ONNX__TENSOR_PROTO__DATA_TYPE__UINT16
        case .uint8: ONNX__TENSOR_PROTO__DATA_TYPE__UINT8
        case .bool: ONNX__TENSOR_PROTO__DATA_TYPE__BOOL
        }
        return Int32(bitPattern: code.rawValue)
    }

    init?(onnxCode: Int32) {
        guard let match = DType.allCases.first(where: { $0.onnxCode == onnxCode }) else { return nil }
        self = match
    }

    /// The ONNX name of a data type code, for error messages about types we lack.
    static func onnxName(of code: Int32) -> String {
        let names = [0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32",
                     7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64",
                     14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16",
                     // the sub-byte and 8-bit float types of quantized models
                     17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4",
                     23: "FLOAT4E2M1", 24: "FLOAT8E8M0", 25: "UINT2", 26: "INT2", 27: "FLOAT6E2M3", 28: "FLOAT6E3M2"]
        return names[Int(code)] ?? "data type \(code)"
    }
}
