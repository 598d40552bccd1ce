import Foundation
import ZooGraph
import ZooTensor

/// Span functions for the elementwise kernel: the scalar function chosen for the dtype,
/// wrapped in a loop over one span, generic over the element type; float32 functions in
/// models' hot paths (LeakyRelu, HardSigmoid, HardSwish, Elu, Gelu, PRelu, Sum, Min, Max, …) run 16
/// lanes at a time instead. Each returns the span and the output dtype, or nil when the
/// function has no kernel at that dtype.
enum ElementwiseSpans {
    static func unary(_ function: ScalarUnary, _ dtype: DType) -> (ElementwiseSpan, DType)? {
        if dtype == .float32, let vector = float32Vector(function) { return (vectorSpan(vector), .float32) }
        if let type = ElementTypes.floating(dtype) { return floatingUnary(function, type) }
        if let type = ElementTypes.integer(dtype) { return integerUnary(function, type) }
        if dtype == .bool { return ScalarFunctions.boolean(function).map { (map($0), .bool) } }
        return nil
    }

    static func binary(_ operation: ScalarBinary, _ left: DType, _ right: DType) -> (ElementwiseSpan, DType)? {
        if case .pow = operation { return power(left, right) }
        guard left == right else { return nil }
        if left == .float32, let (vector, scalar) = float32Vector(operation) {
            return ({ output, x, y, span in
                FloatSpan.apply(output, span.offsets[0], x, y, span.offsets, span.count, span.rowStrides, vector, scalar)
            }, .float32)
        }
        if let type = ElementTypes.floating(left) { return floatingBinary(operation, type) }
        if let type = ElementTypes.integer(left) { return integerBinary(operation, type) }
        if left == .bool { return ScalarFunctions.boolean(operation).map { (zip($0), .bool) } }
        return nil
    }

    private static func floatingUnary<Element: TensorElement>(_ function: ScalarUnary, _: Element.Type) -> (ElementwiseSpan, DType)? {
        if let predicate = ScalarFunctions.floatingPredicate(function) {
            return (map { (x: Element) in predicate(x.doubleValue) }, .bool)
        }
        guard let scalar = ScalarFunctions.floating(function) else { return nil }
        return (map { (x: Element) in Element(fromDouble: scalar(x.doubleValue)) }, Element.dtype)
    }

    private static func integerUnary<Element: IntegerElement>(_ function: ScalarUnary, _ type: Element.Type) -> (ElementwiseSpan, DType)? {
        ScalarFunctions.integer(function, type).map { (map($0), Element.dtype) }
    }

    private static func floatingBinary<Element: TensorElement>(_ operation: ScalarBinary, _: Element.Type) -> (ElementwiseSpan, DType)? {
        if let compare = ScalarFunctions.floatingComparison(operation) {
            return (zip { (x: Element, y: Element) in compare(x.doubleValue, y.doubleValue) }, .bool)
        }
        guard let scalar = ScalarFunctions.floating(operation) else { return nil }
        return (zip { (x: Element, y: Element) in Element(fromDouble: scalar(x.doubleValue, y.doubleValue)) }, Element.dtype)
    }

    private static func integerBinary<Element: IntegerElement>(_ operation: ScalarBinary, _ type: Element.Type) -> (ElementwiseSpan, DType)? {
        if let compare = ScalarFunctions.comparison(operation, type) { return (zip(compare), .bool) }
        return ScalarFunctions.integer(operation, type).map { (zip($0), Element.dtype) }
    }

    /// Pow takes a base and an exponent of any numeric dtypes; it computes in Double and
    /// gives the base's dtype (integers rounded to the nearest, exact for exact powers).
    private static func power(_ base: DType, _ exponent: DType) -> (ElementwiseSpan, DType)? {
        guard let baseType = ElementTypes.floating(base) ?? ElementTypes.integer(base),
              let exponentType = ElementTypes.floating(exponent) ?? ElementTypes.integer(exponent) else { return nil }
        return (power(baseType, exponentType), base)
    }

    private static func power<Base: TensorElement, Exponent: TensorElement>(_: Base.Type, _: Exponent.Type) -> ElementwiseSpan {
        zip { (x: Base, y: Exponent) in Base(fromDouble: Foundation.pow(x.doubleValue, y.doubleValue)) }
    }

    // MARK: loops

    static func map<Input, Output>(_ function: @escaping @Sendable (Input) -> Output) -> ElementwiseSpan {
        { output, left, _, span in
            let x = left.assumingMemoryBound(to: Input.self), result = output.assumingMemoryBound(to: Output.self) + span.offsets[0]
            let (offset, stride) = (span.offsets[1], span.rowStrides[1])
            for index in 0..<span.count { result[index] = function(x[offset + index * stride]) }
        }
    }

    static func zip<Left, Right, Output>(_ function: @escaping @Sendable (Left, Right) -> Output) -> ElementwiseSpan {
        { output, left, right, span in
            let x = left.assumingMemoryBound(to: Left.self), y = right.assumingMemoryBound(to: Right.self)
            let result = output.assumingMemoryBound(to: Output.self) + span.offsets[0]
            let (leftOffset, leftStride) = (span.offsets[1], span.rowStrides[1])
            let (rightOffset, rightStride) = (span.offsets[2], span.rowStrides[2])
            for index in 0..<span.count {
                result[index] = function(x[leftOffset + index * leftStride], y[rightOffset + index * rightStride])
            }
        }
    }

    /// A unary float32 span whose input is contiguous (unary ops read their input row-major).
    private static func vectorSpan(_ function: @escaping @Sendable (Float16x) -> Float16x) -> ElementwiseSpan {
        { output, input, _, span in
            VectorMath.map(input.assumingMemoryBound(to: Float.self) + span.offsets[1],
                           output.assumingMemoryBound(to: Float.self) + span.offsets[0], count: span.count, function)
        }
    }

    // MARK: float32 vector forms

    private static func float32Vector(_ function: ScalarUnary) -> (@Sendable (Float16x) -> Float16x)? {
        switch function {
        case .identity: { $0 }
        case .scale(let factor): { $0 * Float(factor) }
        case .family(.abs): { VectorMath.abs($0) }
        case .family(.leakyRelu(let alpha)): { $0.replacing(with: $0 * alpha, where: $0 .< 0) }
        case .family(.hardSigmoid(let alpha, let beta)): { clampToUnit($0 * alpha + beta) }
        case .family(.hardSwish): { $0 * clampToUnit($0 * (1 / 6) + 0.5) }
        case .family(.thresholdedRelu(let alpha)): { Float16x(repeating: 0).replacing(with: $0, where: $0 .> alpha) }
        case .family(.softsign): { $0 / (1 + VectorMath.abs($0)) }
        case .family(.elu(let alpha)): { $0.replacing(with: alpha * (VectorMath.exp($0) - 1), where: $0 .< 0) }
        case .family(.selu(let alpha, let gamma)):
            { gamma * $0.replacing(with: alpha * (VectorMath.exp($0) - 1), where: $0 .<= 0) }
        case .family(.celu(let alpha)):
            { x in
                let negative = alpha * (VectorMath.exp(x * (1 / alpha)) - 1)
                return x.replacing(with: 0, where: x .< 0) + negative.replacing(with: 0, where: negative .> 0)
            }
        case .family(.swish(let alpha)): { $0 / (1 + VectorMath.exp($0 * -alpha)) }
        case .family(.gelu(tanhApproximation: false)): { 0.5 * $0 * (1 + VectorMath.erf($0 * (1 / Float(2).squareRoot()))) }
        case .family(.gelu(tanhApproximation: true)):
            { x in
                // tanh(u) = 1 − 2/(e^{2u} + 1): exp's overflow to +inf and underflow to 0 give ±1.
                let u = (x + 0.044715 * x * x * x) * (2 / Float.pi).squareRoot()
                return 0.5 * x * (2 - 2 / (VectorMath.exp(2 * u) + 1))
            }
        default: nil
        }
    }

    /// max(0, min(1, x)), NaN kept.
    @inline(__always)
    private static func clampToUnit(_ x: Float16x) -> Float16x {
        x.replacing(with: 0, where: x .< 0).replacing(with: 1, where: x .> 1)
    }

    private static func float32Vector(_ operation: ScalarBinary)
        -> ((@Sendable (Float16x, Float16x) -> Float16x), (@Sendable (Float, Float) -> Float))? {
        switch operation {
        case .add: ({ $0 + $1 }, { $0 + $1 })
        case .sub: ({ $0 - $1 }, { $0 - $1 })
        case .mul: ({ $0 * $1 }, { $0 * $1 })
        case .div: ({ $0 / $1 }, { $0 / $1 })
        case .min: ({ $0.replacing(with: $1, where: $1 .< $0) }, { $1 < $0 ? $1 : $0 })
        case .max: ({ $0.replacing(with: $1, where: $1 .> $0) }, { $1 > $0 ? $1 : $0 })
        case .family(.prelu): ({ $0.replacing(with: $0 * $1, where: $0 .< 0) }, { $0 < 0 ? $0 * $1 : $0 })
        default: nil
        }
    }
}
