import ZooGraph
import ZooTensor

// Quantized operators → ONNX attributes (defaults left out, so that the per-tensor forms
// stay valid at opset 10 and later).
extension QuantizedOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .quantizeLinear(let quantization, let dtype), .dequantizeLinear(let quantization, let dtype):
            (quantization.axis == 1 ? [] : [("axis", .int(quantization.axis))])
                + (quantization.blockSize == 0 ? [] : [("block_size", .int(quantization.blockSize))])
                + (dtype.map { [("output_dtype", .int(Int($0.onnxCode)))] } ?? [])
        case .qLinearConv(let a), .convInteger(let a):
            [("kernel_shape", a.kernelShape.map { .ints($0) }), ("strides", a.strides.map { .ints($0) }),
             ("pads", a.pads.map { .ints($0) }), ("dilations", a.dilations.map { .ints($0) }),
             ("group", a.group == 1 ? nil : .int(a.group)),
             ("auto_pad", a.autoPad == .notSet ? nil : .string(a.autoPad.rawValue))]
                .compactMap { name, value in value.map { (name, $0) } }
        case .qLinearMatMul, .matMulInteger, .dynamicQuantizeLinear: []
        }
    }
}

extension OpsetLowering {
    /// QuantizeLinear's output_dtype exists from opset 21: before it, a zero point of zeros
    /// in that dtype, shaped like the scale, says the same.
    func lowerQuantized(_ node: Node, _ op: QuantizedOp, inference: ShapeInference.Result) throws(ONNXError) -> [Node] {
        guard opset < 21, case .quantizeLinear(let quantization, let dtype?) = op, node.inputs.count < 3 || node.inputs[2].isEmpty else {
            return [node]
        }
        guard let scale = inference.types[node.inputs[1]]?.staticShape else {
            throw .exportFailed(reason: "node '\(node.name)' (QuantizeLinear): output_dtype needs opset 21 when the scale's shape is not static")
        }
        let zeroPoint: Tensor
        do { zeroPoint = try Tensor(zeros: scale, dtype: dtype) } catch { throw .exportFailed(reason: "node '\(node.name)': \(error)") }
        let name = "\(node.name)/zero_point"
        return [Node(name: name, op: .constant(zeroPoint), inputs: [], outputs: [name]),
                Node(name: node.name, op: .quantized(.quantizeLinear(quantization, outputDType: nil)),
                     inputs: [node.inputs[0], node.inputs[1], name], outputs: node.outputs)]
    }
}
