import ZooGraph

// TensorScatter and CausalConvWithState → ONNX attributes; defaults are left out.
extension StatefulOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .tensorScatter(let a):
            (a.circular ? [("mode", .string("circular"))] : []) + (a.axis == -2 ? [] : [("axis", .int(a.axis))])
        case .causalConvolution(let activation):
            activation == .none ? [] : [("activation", .string(activation.rawValue))]
        }
    }
}
