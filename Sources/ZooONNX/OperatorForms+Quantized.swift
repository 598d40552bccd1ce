// Quantized operators: their forms by opset (from the onnx package's schemas).
extension OperatorForms {
    static let quantizedIntroduced: [String: Int] = [
        "QuantizeLinear": 10, "DequantizeLinear": 10, "QLinearConv": 10, "QLinearMatMul": 10, "MatMulInteger": 10,
        "ConvInteger": 10, "DynamicQuantizeLinear": 11,
    ]

    static let quantizedAttributeOpsets: [String: [String: ClosedRange<Int>]] = [
        "QuantizeLinear": ["axis": 13...Int.max, "saturate": 19...Int.max, "block_size": 21...Int.max,
                           "output_dtype": 21...Int.max, "precision": 23...Int.max],
        "DequantizeLinear": ["axis": 13...Int.max, "block_size": 21...Int.max, "output_dtype": 23...Int.max],
    ]
}
