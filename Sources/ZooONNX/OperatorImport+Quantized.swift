import ZooGraph
import ZooTensor

// ONNX → IR for the quantized operators (QuantizedOp). The 4-bit, 2-bit and 8-bit float
// types some opsets add have no DType: a node producing one is refused here, one reading
// one is refused with its tensor's type.
extension OperatorImport {
    static let quantizedKnown: [String: Set<String>] = [
        "QuantizeLinear": ["axis", "saturate", "block_size", "output_dtype", "precision"],
        "DequantizeLinear": ["axis", "block_size", "output_dtype"],
        "QLinearConv": ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"],
        "ConvInteger": ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"],
        "QLinearMatMul": [], "MatMulInteger": [], "DynamicQuantizeLinear": [],
    ]

    mutating func makeQuantizedOp() throws(Problem) -> QuantizedOp {
        switch opType {
        case "QuantizeLinear":
            // saturate only changes float8 results, which we refuse; integers always saturate.
            guard [0, 1].contains(try int("precision", default: 0)) else {
                throw Problem(reason: "precision other than float is not supported")
            }
            var outputDType = try quantizedDataType("output_dtype")
            if inputCount >= 3 {
                // The zero point's dtype decides; a constant one is checked against the attribute here.
                if let outputDType, let zeroPoint = constantInput(2), zeroPoint.dtype != outputDType {
                    throw Problem(reason: "output_dtype \(outputDType) differs from the zero point's \(zeroPoint.dtype)")
                }
                outputDType = nil
            }
            return .quantizeLinear(try quantizationAxis(), outputDType: outputDType == .uint8 ? nil : outputDType)
        case "DequantizeLinear":
            return .dequantizeLinear(try quantizationAxis(), outputDType: try quantizedDataType("output_dtype"))
        case "QLinearConv", "ConvInteger":
            let attributes = ConvAttributes(
                kernelShape: try ints("kernel_shape"), strides: try ints("strides"), pads: try ints("pads"),
                dilations: try ints("dilations"), group: try int("group", default: 1), autoPad: try autoPad())
            return opType == "QLinearConv" ? .qLinearConv(attributes) : .convInteger(attributes)
        case "QLinearMatMul": return .qLinearMatMul
        case "MatMulInteger": return .matMulInteger
        default: return .dynamicQuantizeLinear
        }
    }

    private func quantizationAxis() throws(Problem) -> QuantizationAxis {
        QuantizationAxis(axis: try int("axis", default: 1), blockSize: try int("block_size", default: 0))
    }

    /// An `output_dtype` attribute: nil when absent or 0 (unset).
    private func quantizedDataType(_ name: String) throws(Problem) -> DType? {
        guard try int(name, default: 0) != 0 else { return nil }
        return try dataType(name, default: nil)
    }
}
