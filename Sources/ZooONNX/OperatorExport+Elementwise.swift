import ZooGraph

// The elementwise family's attributes as ONNX writes them; a value equal to ONNX's default is
// still written, so a reader sees it without consulting the spec.
extension UnaryFunction {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .isInf(let negative, let positive):
            [("detect_negative", .int(negative ? 1 : 0)), ("detect_positive", .int(positive ? 1 : 0))]
        case .leakyRelu(let alpha), .elu(let alpha), .celu(let alpha), .thresholdedRelu(let alpha), .swish(let alpha):
            [("alpha", .float(alpha))]
        case .selu(let alpha, let gamma): [("alpha", .float(alpha)), ("gamma", .float(gamma))]
        case .hardSigmoid(let alpha, let beta): [("alpha", .float(alpha)), ("beta", .float(beta))]
        case .shrink(let bias, let lambda): [("bias", .float(bias)), ("lambd", .float(lambda))]
        case .gelu(let tanhApproximation): [("approximate", .string(tanhApproximation ? "tanh" : "none"))]
        default: []
        }
    }
}

extension BinaryOperation {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .mod(let fmod): [("fmod", .int(fmod ? 1 : 0))]
        case .bitShift(let left): [("direction", .string(left ? "LEFT" : "RIGHT"))]
        default: []
        }
    }
}
