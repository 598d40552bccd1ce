import ZooTensor

// The elementwise family as data: each member names its ONNX operator, its attributes with
// ONNX's defaults, and the dtypes it takes. Shape inference, import, export, counting and the
// kernels all read these tables, so a member is added in one place per module.

/// A function of one tensor, element by element; the output has the input's shape.
public enum UnaryFunction: Sendable, Hashable {
    case abs, ceil, floor, round, sign, reciprocal, log
    case sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh
    /// Logical not (bool) and bitwise not (integers).
    case not, bitwiseNot
    /// Whether each element is an infinity of a sign that is asked for (bool result).
    case isInf(detectNegative: Bool = true, detectPositive: Bool = true)
    // Activations
    case leakyRelu(alpha: Float = 0.01)
    case elu(alpha: Float = 1)
    case selu(alpha: Float = 1.67326319217681884765625, gamma: Float = 1.05070102214813232421875)
    case celu(alpha: Float = 1)
    case hardSigmoid(alpha: Float = 0.2, beta: Float = 0.5)
    case hardSwish, mish, softplus, softsign
    case thresholdedRelu(alpha: Float = 1)
    case shrink(bias: Float = 0, lambda: Float = 0.5)
    /// x·Φ(x): exactly, ½x(1 + erf(x/√2)), or with Φ approximated through tanh (`approximate="tanh"`).
    case gelu(tanhApproximation: Bool = false)
    /// x·σ(alpha·x) (Swish, opset 24; SiLU at alpha 1).
    case swish(alpha: Float = 1)

    /// Every function with its attributes at their ONNX defaults.
    public static let defaults: [UnaryFunction] = [
        .abs, .ceil, .floor, .round, .sign, .reciprocal, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh,
        .asinh, .acosh, .atanh, .not, .bitwiseNot, .isInf(), .leakyRelu(), .elu(), .selu(), .celu(), .hardSigmoid(),
        .hardSwish, .mish, .softplus, .softsign, .thresholdedRelu(), .shrink(), .gelu(),
        .swish(),
    ]

    public var onnxName: String {
        switch self {
        case .abs: "Abs"
        case .ceil: "Ceil"
        case .floor: "Floor"
        case .round: "Round"
        case .sign: "Sign"
        case .reciprocal: "Reciprocal"
        case .log: "Log"
        case .sin: "Sin"
        case .cos: "Cos"
        case .tan: "Tan"
        case .asin: "Asin"
        case .acos: "Acos"
        case .atan: "Atan"
        case .sinh: "Sinh"
        case .cosh: "Cosh"
        case .asinh: "Asinh"
        case .acosh: "Acosh"
        case .atanh: "Atanh"
        case .not: "Not"
        case .bitwiseNot: "BitwiseNot"
        case .isInf: "IsInf"
        case .leakyRelu: "LeakyRelu"
        case .elu: "Elu"
        case .selu: "Selu"
        case .celu: "Celu"
        case .hardSigmoid: "HardSigmoid"
        case .hardSwish: "HardSwish"
        case .mish: "Mish"
        case .softplus: "Softplus"
        case .softsign: "Softsign"
        case .thresholdedRelu: "ThresholdedRelu"
        case .shrink: "Shrink"
        case .gelu: "Gelu"
        case .swish: "Swish"
        }
    }

    /// The input dtypes the ONNX schema allows.
    public var inputDTypes: Set<DType> {
        switch self {
        case .abs, .sign, .shrink: DType.numeric
        case .not: [.bool]
        case .bitwiseNot: DType.integers
        case .isInf, .ceil, .floor, .round, .reciprocal, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh,
             .asinh, .acosh, .atanh, .leakyRelu, .elu, .selu, .celu, .hardSigmoid, .hardSwish, .mish, .softplus,
             .softsign, .thresholdedRelu, .gelu, .swish:
            DType.floatingPoint
        }
    }

    public var resultIsBool: Bool {
        if case .isInf = self { return true }
        return false
    }
}

/// A function of two tensors with multidirectional (numpy) broadcasting.
public enum BinaryOperation: Sendable, Hashable {
    /// Remainder: with `fmod` false taking the divisor's sign (Python's %), with `fmod` true
    /// the dividend's (C's fmod).
    case mod(fmod: Bool = false)
    /// Shifts by the second operand's bits; bits shifted out are lost. Signed types (from
    /// opset 28) shift right arithmetically.
    case bitShift(left: Bool)
    case bitwiseAnd, bitwiseOr, bitwiseXor
    /// Logical or and xor of bool tensors.
    case or, xor
    case greater, less, lessOrEqual
    /// x where x ≥ 0, slope · x otherwise; the slope broadcasts to x's shape.
    case prelu

    /// Every operation with its attributes at their ONNX defaults (BitShift has none: its
    /// direction is required).
    public static let defaults: [BinaryOperation] = [
        .mod(), .bitShift(left: true), .bitwiseAnd, .bitwiseOr, .bitwiseXor, .or, .xor, .greater, .less, .lessOrEqual, .prelu,
    ]

    public var onnxName: String {
        switch self {
        case .mod: "Mod"
        case .bitShift: "BitShift"
        case .bitwiseAnd: "BitwiseAnd"
        case .bitwiseOr: "BitwiseOr"
        case .bitwiseXor: "BitwiseXor"
        case .or: "Or"
        case .xor: "Xor"
        case .greater: "Greater"
        case .less: "Less"
        case .lessOrEqual: "LessOrEqual"
        case .prelu: "PRelu"
        }
    }

    public var inputDTypes: Set<DType> {
        switch self {
        case .mod, .greater, .less, .lessOrEqual: DType.numeric
        case .bitShift, .bitwiseAnd, .bitwiseOr, .bitwiseXor: DType.integers
        case .or, .xor: [.bool]
        case .prelu: DType.floatingPoint.union([.int32, .int64, .uint32, .uint64])
        }
    }

    public var resultIsBool: Bool {
        switch self {
        case .or, .xor, .greater, .less, .lessOrEqual: true
        default: false
        }
    }
}

/// Sum, Mean, Min and Max of one or more tensors, all broadcast together.
public enum VariadicOperation: String, Sendable, Hashable, CaseIterable {
    case sum = "Sum", mean = "Mean", min = "Min", max = "Max"

    public var onnxName: String { rawValue }

    public var inputDTypes: Set<DType> {
        switch self {
        case .sum, .mean: DType.floatingPoint
        case .min, .max: DType.numeric
        }
    }
}

extension DType {
    public static let floatingPoint: Set<DType> = Set(allCases.filter(\.isFloatingPoint))
    public static let integers: Set<DType> = Set(allCases.filter(\.isInteger))
    public static let numeric: Set<DType> = floatingPoint.union(integers)
    /// Relu and Neg take these.
    public static let signedNumeric: Set<DType> = numeric.filter { !$0.isUnsignedInteger }
}
