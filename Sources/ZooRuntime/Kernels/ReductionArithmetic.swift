import ZooTensor

/// The arithmetic of the reductions, ArgMax/ArgMin, CumSum/CumProd, TopK and Hardmax, for
/// the types they compute in. Integers wrap on overflow, as onnxruntime's C++ arithmetic
/// does; float16 computes in float32. A new element type needs a `ReductionElement`
/// conformance and a line in `DType.reductionElement`.
protocol ReductionNumber: Comparable, Sendable {
    static var zero: Self { get }
    static var one: Self { get }
    /// The identity of max (−∞, or the smallest integer) and of min.
    static var lowest: Self { get }
    static var highest: Self { get }
    static func plus(_ a: Self, _ b: Self) -> Self
    static func times(_ a: Self, _ b: Self) -> Self
    var absolute: Self { get }
    /// NaN: max and min return it as soon as they meet it.
    var isUnordered: Bool { get }
    var double: Double { get }
    /// A result computed in Double (√, log, exp), as a C++ cast makes it: integers truncated.
    init(computed value: Double)
    /// The mean of `count` elements summing to `self`.
    func divided(by count: Int) -> Self
}

extension ReductionNumber where Self: BinaryFloatingPoint {
    static var one: Self { 1 }
    static var lowest: Self { -.infinity }
    static var highest: Self { .infinity }
    static func plus(_ a: Self, _ b: Self) -> Self { a + b }
    static func times(_ a: Self, _ b: Self) -> Self { a * b }
    var absolute: Self { Swift.abs(self) }
    var isUnordered: Bool { isNaN }
    var double: Double { Double(self) }
    init(computed value: Double) { self.init(value) }
    func divided(by count: Int) -> Self { self / Self(count) }
}

extension ReductionNumber where Self: FixedWidthInteger {
    static var one: Self { 1 }
    static var lowest: Self { .min }
    static var highest: Self { .max }
    static func plus(_ a: Self, _ b: Self) -> Self { a &+ b }
    static func times(_ a: Self, _ b: Self) -> Self { a &* b }
    var absolute: Self { self < 0 ? 0 &- self : self }
    var isUnordered: Bool { false }
    var double: Double { Double(self) }
    init(computed value: Double) {
        let truncated = value.rounded(.towardZero)
        self = Self(exactly: truncated) ?? (truncated > 0 ? .max : .min)
    }
    /// An empty set's mean is 0 (its sum); integer division truncates as C++'s does.
    func divided(by count: Int) -> Self { count == 0 ? self : self / Self(truncatingIfNeeded: count) }
}

extension Float: ReductionNumber {}
extension Double: ReductionNumber {}
extension Int64: ReductionNumber {}
extension Int32: ReductionNumber {}
extension Int8: ReductionNumber {}
extension UInt8: ReductionNumber {}

/// A stored element type and the type it computes in.
protocol ReductionElement: TensorElement {
    associatedtype Number: ReductionNumber
    var number: Number { get }
    init(number: Number)
}

/// Types that compute in themselves.
protocol SelfComputingElement: ReductionElement, ReductionNumber where Number == Self {}

extension SelfComputingElement {
    var number: Self { self }
    init(number: Self) { self = number }
}

extension Float: SelfComputingElement {}
extension Double: SelfComputingElement {}
extension Int64: SelfComputingElement {}
extension Int32: SelfComputingElement {}
extension Int8: SelfComputingElement {}
extension UInt8: SelfComputingElement {}

/// Bool folds as UInt8 0 or 1: max is any, min is all (ReduceMax and ReduceMin from opset 20;
/// shape inference lets no other reduction take bool).
extension Bool: ReductionElement {
    var number: UInt8 { self ? 1 : 0 }
    init(number: UInt8) { self = number != 0 }
}

extension Float16: ReductionElement {
    var number: Float { Float(self) }
    init(number: Float) { self.init(number) }
}

extension DType {
    /// The element type of the reduction-family kernels for this dtype; nil for dtypes
    /// they do not take (bool, bfloat16).
    var reductionElement: (any ReductionElement.Type)? {
        switch self {
        case .float32: Float.self
        case .float64: Double.self
        case .float16: Float16.self
        case .int64: Int64.self
        case .int32: Int32.self
        case .int8: Int8.self
        case .uint8: UInt8.self
        case .bool: Bool.self
        default: nil
        }
    }
}

extension KernelContext {
    /// Input `index`'s type and the element type it is computed with, or a refusal naming
    /// the dtype. The product of its non-zero dims must fit in 64 bits: an empty input may
    /// have other dims whose product does not, and the kernels multiply subsets of them.
    func reductionElement(_ index: Int) throws(RuntimeError) -> (ValueType, any ReductionElement.Type) {
        let input = try type(index)
        guard let element = input.dtype.reductionElement else {
            throw unsupported("input '\(node.inputs[index])' is \(input.dtype), which this kernel does not take")
        }
        _ = try checked("the product of the non-zero dims of \(input)") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.product(input.shape.filter { $0 != 0 })
        }
        return (input, element)
    }
}

/// A tensor's shape split around one axis: `outer` slices, each of `length` steps of
/// `inner` contiguous elements. Softmax-like ops, ArgMax, CumSum and TopK walk it.
struct AxisGeometry: Sendable {
    let outer: Int
    let length: Int
    let inner: Int

    init(shape: [Int], axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        length = shape.isEmpty ? 1 : shape[axis]
        inner = shape.isEmpty ? 1 : shape[(axis + 1)...].reduce(1, *)
    }

    /// Lines along the axis: one per (outer, inner) pair.
    var lineCount: Int { outer * inner }

    /// The first element of line `line`; its steps are `inner` apart.
    func start(ofLine line: Int) -> Int {
        let (slice, position) = line.quotientAndRemainder(dividingBy: inner)
        return slice * length * inner + position
    }
}
