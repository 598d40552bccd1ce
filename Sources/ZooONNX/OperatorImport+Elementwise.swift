import ZooGraph

// The elementwise family: the operator names come from the IR's tables, the attributes'
// defaults too (each table entry holds them), so only the attribute names are spelled here.
extension OperatorImport {
    static let elementwiseOpTypes: Set<String> = Set(
        UnaryFunction.defaults.map(\.onnxName) + BinaryOperation.defaults.map(\.onnxName)
            + VariadicOperation.allCases.map(\.onnxName) + ["CastLike"])

    func makeElementwiseOp() throws(Problem) -> Op {
        if let function = UnaryFunction.defaults.first(where: { $0.onnxName == opType }) {
            return .unary(try withAttributes(function))
        }
        if let operation = BinaryOperation.defaults.first(where: { $0.onnxName == opType }) {
            return .binary(try withAttributes(operation))
        }
        if let operation = VariadicOperation(rawValue: opType) { return .variadic(operation) }
        return .castLike
    }

    private func withAttributes(_ function: UnaryFunction) throws(Problem) -> UnaryFunction {
        switch function {
        case .gelu:
            switch try string("approximate") ?? "none" {
            case "none": .gelu(tanhApproximation: false)
            case "tanh": .gelu(tanhApproximation: true)
            case let other: throw Problem(reason: "approximate '\(other)' is not one of none, tanh")
            }
        case .isInf(let negative, let positive):
            .isInf(detectNegative: try int("detect_negative", default: negative ? 1 : 0) != 0,
                   detectPositive: try int("detect_positive", default: positive ? 1 : 0) != 0)
        case .leakyRelu(let alpha): .leakyRelu(alpha: try float("alpha", default: alpha))
        case .elu(let alpha): .elu(alpha: try float("alpha", default: alpha))
        case .selu(let alpha, let gamma): .selu(alpha: try float("alpha", default: alpha), gamma: try float("gamma", default: gamma))
        case .celu(let alpha): .celu(alpha: try float("alpha", default: alpha))
        case .hardSigmoid(let alpha, let beta):
            .hardSigmoid(alpha: try float("alpha", default: alpha), beta: try float("beta", default: beta))
        case .thresholdedRelu(let alpha): .thresholdedRelu(alpha: try float("alpha", default: alpha))
        case .shrink(let bias, let lambda): .shrink(bias: try float("bias", default: bias), lambda: try float("lambd", default: lambda))
        case .swish(let alpha): .swish(alpha: try float("alpha", default: alpha))
        default: function
        }
    }

    private func withAttributes(_ operation: BinaryOperation) throws(Problem) -> BinaryOperation {
        switch operation {
        case .mod(let fmod): return .mod(fmod: try int("fmod", default: fmod ? 1 : 0) != 0)
        case .bitShift:
            guard let direction = try string("direction") else { throw Problem(reason: "required attribute 'direction' is missing") }
            guard direction == "LEFT" || direction == "RIGHT" else {
                throw Problem(reason: "direction '\(direction)' is not one of LEFT, RIGHT")
            }
            return .bitShift(left: direction == "LEFT")
        default: return operation
        }
    }
}
