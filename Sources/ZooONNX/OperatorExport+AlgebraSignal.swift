import ZooGraph
import ZooTensor

// Algebra and signal ops → ONNX attributes (defaults left out, except Einsum's equation and
// the types a cast or window produces).
extension AlgebraOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .einsum(let equation): [("equation", .string(equation.text))]
        case .det: []
        case .lpNormalization(let axis, let p): [("axis", .int(axis)), ("p", .int(p))]
        case .globalLpPool(let p): [("p", .int(p))]
        case .bitCast(let to): [("to", .int(Int(to.onnxCode)))]
        }
    }
}

extension SignalOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .dft(let inverse, let onesided, let axis):
            // From opset 20 the axis is an input: `OpsetLowering` writes it as one.
            (inverse ? [("inverse", .int(1))] : []) + (onesided ? [("onesided", .int(1))] : []) + (axis.map { [("axis", .int($0))] } ?? [])
        case .stft(let onesided): onesided ? [] : [("onesided", .int(0))]
        case .window(_, let periodic, let dtype): (periodic ? [] : [("periodic", .int(0))]) + [("output_datatype", .int(Int(dtype.onnxCode)))]
        case .melWeightMatrix(let dtype): [("output_datatype", .int(Int(dtype.onnxCode)))]
        }
    }
}

extension OpsetLowering {
    /// DFT at opset 20 or later takes its axis as the third input: a Constant feeds it.
    func lowerSignal(_ node: Node, _ op: SignalOp) throws(ONNXError) -> [Node] {
        guard opset >= 20, case .dft(let inverse, let onesided, let axis?) = op else { return [node] }
        let constantName = "\(node.name)/axis"
        let constant = Node(name: constantName, op: .constant(Tensor(scalar: Int64(axis))), inputs: [], outputs: [constantName])
        let length = node.inputs.count > 1 ? node.inputs[1] : ""
        return [constant, Node(name: node.name, op: .signal(.dft(inverse: inverse, onesided: onesided, axis: nil)),
                               inputs: [node.inputs[0], length, constantName], outputs: node.outputs)]
    }
}
