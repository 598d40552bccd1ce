import Foundation
import ZooGraph

/// Every unary function the generic elementwise kernel computes: the family's, the older
/// ops' (whose own kernels take float32 only) at other dtypes, and two the kernel uses itself.
enum ScalarUnary: Sendable {
    case family(UnaryFunction)
    case relu, sigmoid, tanh, erf, sqrt, exp, neg, isNaN
    /// A copy, and a product with a constant (Mean's division).
    case identity, scale(Double)
}

/// Every binary function the generic elementwise kernel computes.
enum ScalarBinary: Sendable {
    case family(BinaryOperation)
    case add, sub, mul, div, pow, min, max, equal, greaterOrEqual, and
}

/// The scalar functions, one table per kind of element: floating-point types compute in
/// Double (half types widen exactly; onnxruntime computes in float, so results may differ in
/// the last float bit), integers in their own type with wrapping arithmetic (as C++ does),
/// bools as bools. A function missing from a table has no kernel at that kind of dtype.
enum ScalarFunctions {
    static func floating(_ function: ScalarUnary) -> (@Sendable (Double) -> Double)? {
        switch function {
        case .relu: { $0 < 0 ? 0 : $0 }
        case .sigmoid: { 1 / (1 + Foundation.exp(-$0)) }
        case .tanh: { Foundation.tanh($0) }
        case .erf: { Foundation.erf($0) }
        case .sqrt: { $0.squareRoot() }
        case .exp: { Foundation.exp($0) }
        case .neg: { -$0 }
        case .identity: { $0 }
        case .scale(let factor): { $0 * factor }
        case .isNaN: nil
        case .family(let function): floating(function)
        }
    }

    private static func floating(_ function: UnaryFunction) -> (@Sendable (Double) -> Double)? {
        switch function {
        case .abs: { Swift.abs($0) }
        case .ceil: { $0.rounded(.up) }
        case .floor: { $0.rounded(.down) }
        case .round: { $0.rounded(.toNearestOrEven) }
        case .sign: { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }
        case .reciprocal: { 1 / $0 }
        case .log: { Foundation.log($0) }
        case .sin: { Foundation.sin($0) }
        case .cos: { Foundation.cos($0) }
        case .tan: { Foundation.tan($0) }
        case .asin: { Foundation.asin($0) }
        case .acos: { Foundation.acos($0) }
        case .atan: { Foundation.atan($0) }
        case .sinh: { Foundation.sinh($0) }
        case .cosh: { Foundation.cosh($0) }
        case .asinh: { Foundation.asinh($0) }
        case .acosh: { Foundation.acosh($0) }
        case .atanh: { Foundation.atanh($0) }
        case .not, .bitwiseNot, .isInf: nil
        case .leakyRelu(let alpha): { $0 < 0 ? Double(alpha) * $0 : $0 }
        case .elu(let alpha): { $0 < 0 ? Double(alpha) * (Foundation.exp($0) - 1) : $0 }
        case .selu(let alpha, let gamma):
            { Double(gamma) * ($0 > 0 ? $0 : Double(alpha) * (Foundation.exp($0) - 1)) }
        case .celu(let alpha):
            { Swift.max(0, $0) + Swift.min(0, Double(alpha) * (Foundation.exp($0 / Double(alpha)) - 1)) }
        case .hardSigmoid(let alpha, let beta): { Swift.max(0, Swift.min(1, Double(alpha) * $0 + Double(beta))) }
        case .hardSwish: { $0 * Swift.max(0, Swift.min(1, $0 / 6 + 0.5)) }
        case .mish: { $0 * Foundation.tanh(softplus($0)) }
        case .softplus: softplus
        case .softsign: { $0 / (1 + Swift.abs($0)) }
        case .thresholdedRelu(let alpha): { $0 > Double(alpha) ? $0 : 0 }
        case .shrink(let bias, let lambda): { shrink($0, bias: Double(bias), lambda: Double(lambda)) }
        case .gelu(tanhApproximation: false): { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
        case .gelu(tanhApproximation: true):
            { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        case .swish(let alpha): { $0 / (1 + Foundation.exp(-Double(alpha) * $0)) }
        }
    }

    /// log(1 + eˣ) without overflow for large x.
    @Sendable private static func softplus(_ x: Double) -> Double {
        x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
    }

    private static func shrink(_ x: Double, bias: Double, lambda: Double) -> Double {
        x < -lambda ? x + bias : x > lambda ? x - bias : 0
    }

    /// Functions of a float with a bool result.
    static func floatingPredicate(_ function: ScalarUnary) -> (@Sendable (Double) -> Bool)? {
        switch function {
        case .isNaN: { $0.isNaN }
        case .family(.isInf(let negative, let positive)): { $0.isInfinite && ($0 > 0 ? positive : negative) }
        default: nil
        }
    }

    static func integer<Element: IntegerElement>(_ function: ScalarUnary, _: Element.Type) -> (@Sendable (Element) -> Element)? {
        switch function {
        case .identity: { $0 }
        case .relu: { $0 < 0 ? 0 : $0 }
        case .neg: { 0 &- $0 }
        // Wrapping, as C++'s abs: the most negative value stays itself.
        case .family(.abs): { $0 < 0 ? 0 &- $0 : $0 }
        case .family(.sign): { $0 > 0 ? 1 : $0 == 0 ? 0 : 0 &- 1 }
        case .family(.bitwiseNot): { ~$0 }
        case .family(.shrink(let bias, let lambda)):
            { Element(fromDouble: shrink(Double($0), bias: Double(bias), lambda: Double(lambda)).rounded(.towardZero)) }
        default: nil
        }
    }

    static func boolean(_ function: ScalarUnary) -> (@Sendable (Bool) -> Bool)? {
        switch function {
        case .identity: { $0 }
        case .family(.not): { !$0 }
        default: nil
        }
    }

    // MARK: binary

    static func floating(_ operation: ScalarBinary) -> (@Sendable (Double, Double) -> Double)? {
        switch operation {
        case .add: { $0 + $1 }
        case .sub: { $0 - $1 }
        case .mul: { $0 * $1 }
        case .div: { $0 / $1 }
        case .pow: { Foundation.pow($0, $1) }
        case .min: { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
        case .max: { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
        case .family(.mod(let fmod)):
            { dividend, divisor in
                // fmod=1 takes the dividend's sign (C's fmod); fmod=0 the divisor's (Python's %).
                let remainder = Foundation.fmod(dividend, divisor)
                return !fmod && remainder != 0 && (remainder < 0) != (divisor < 0) ? remainder + divisor : remainder
            }
        case .family(.prelu): { $0 < 0 ? $0 * $1 : $0 }
        default: nil
        }
    }

    static func floatingComparison(_ operation: ScalarBinary) -> (@Sendable (Double, Double) -> Bool)? {
        comparison(operation, Double.self)
    }

    static func integer<Element: IntegerElement>(_ operation: ScalarBinary, _: Element.Type) -> (@Sendable (Element, Element) -> Element)? {
        switch operation {
        case .add: { $0 &+ $1 }
        case .sub: { $0 &- $1 }
        case .mul: { $0 &* $1 }
        // Division and remainder by zero have no value in ONNX; 0 keeps the run alive, and
        // the most negative value divided by −1 wraps, as in two's complement hardware.
        case .div: { $1 == 0 ? 0 : $0.dividedReportingOverflow(by: $1).partialValue }
        case .min: { Swift.min($0, $1) }
        case .max: { Swift.max($0, $1) }
        case .family(.prelu): { $0 < 0 ? $0 &* $1 : $0 }
        case .family(.mod(let fmod)):
            { dividend, divisor in
                guard divisor != 0 else { return 0 }
                let remainder = dividend.remainderReportingOverflow(dividingBy: divisor).partialValue
                // fmod=0 takes the divisor's sign (Python's %); fmod=1 the dividend's (C's fmod).
                return !fmod && remainder != 0 && (remainder < 0) != (divisor < 0) ? remainder &+ divisor : remainder
            }
        // A shift by the bit width or more, or by a negative amount, shifts everything out:
        // 0, or for a right shift of a negative value −1 (signed types shift arithmetically).
        case .family(.bitShift(let left)):
            { value, shift in
                guard shift >= 0, shift < Element.bitWidth else { return left || value >= 0 ? 0 : 0 &- 1 }
                return left ? value << shift : value >> shift
            }
        case .family(.bitwiseAnd): { $0 & $1 }
        case .family(.bitwiseOr): { $0 | $1 }
        case .family(.bitwiseXor): { $0 ^ $1 }
        default: nil
        }
    }

    static func comparison<Element: Comparable>(_ operation: ScalarBinary, _: Element.Type) -> (@Sendable (Element, Element) -> Bool)? {
        switch operation {
        case .equal: { $0 == $1 }
        case .greaterOrEqual: { $0 >= $1 }
        case .family(.greater): { $0 > $1 }
        case .family(.less): { $0 < $1 }
        case .family(.lessOrEqual): { $0 <= $1 }
        default: nil
        }
    }

    static func boolean(_ operation: ScalarBinary) -> (@Sendable (Bool, Bool) -> Bool)? {
        switch operation {
        case .and: { $0 && $1 }
        case .family(.or): { $0 || $1 }
        case .family(.xor): { $0 != $1 }
        case .equal: { $0 == $1 }
        default: nil
        }
    }
}
