/// A size computed from a file, an attribute, a constant or an argument that does not fit in
/// an `Int`. Callers wrap it into their own errors, which name the node, op or option.
public struct ArithmeticOverflow: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// Integer arithmetic and conversions for sizes that come from input: Swift traps on
/// overflow and on converting a non-finite or out-of-range value, so a hostile value (a pad
/// of 2^62, a Range limit of inf) must go through these, which throw instead. Code where
/// the operands are already bounded (validated shapes, loop indices) keeps plain operators.
public enum CheckedArithmetic {
    public static func add(_ left: Int, _ right: Int) throws(ArithmeticOverflow) -> Int {
        let (sum, overflow) = left.addingReportingOverflow(right)
        guard !overflow else { throw ArithmeticOverflow("\(left) + \(right) overflows 64 bits") }
        return sum
    }

    public static func subtract(_ left: Int, _ right: Int) throws(ArithmeticOverflow) -> Int {
        let (difference, overflow) = left.subtractingReportingOverflow(right)
        guard !overflow else { throw ArithmeticOverflow("\(left) - \(right) overflows 64 bits") }
        return difference
    }

    public static func multiply(_ left: Int, _ right: Int) throws(ArithmeticOverflow) -> Int {
        let (product, overflow) = left.multipliedReportingOverflow(by: right)
        guard !overflow else { throw ArithmeticOverflow("\(left) × \(right) overflows 64 bits") }
        return product
    }

    /// The product of `values` (1 for none), such as the element count of a shape.
    public static func product(_ values: some Sequence<Int>) throws(ArithmeticOverflow) -> Int {
        var product = 1
        for value in values {
            let (next, overflow) = product.multipliedReportingOverflow(by: value)
            guard !overflow else { throw ArithmeticOverflow("the product of \(Array(values)) overflows 64 bits") }
            product = next
        }
        return product
    }

    /// The sum of `values` (0 for none), such as the length of a concatenation.
    public static func sum(_ values: some Sequence<Int>) throws(ArithmeticOverflow) -> Int {
        var sum = 0
        for value in values {
            let (next, overflow) = sum.addingReportingOverflow(value)
            guard !overflow else { throw ArithmeticOverflow("the sum of \(Array(values)) overflows 64 bits") }
            sum = next
        }
        return sum
    }

    /// `value` as an integer, which must be finite and within the 64-bit range; the
    /// fraction, if any, is dropped (round first for another rule).
    public static func integer(_ value: Double) throws(ArithmeticOverflow) -> Int {
        guard value.isFinite else { throw ArithmeticOverflow("\(value) is not a finite number") }
        // Int.max is not a Double; 2^63 is the first value beyond it.
        guard value >= -0x1p63, value < 0x1p63 else { throw ArithmeticOverflow("\(value) is outside the 64-bit range") }
        return Int(value)
    }

    /// `value` as a 32-bit integer, as C APIs (OpenMP, oneDNN) take counts.
    public static func int32(_ value: Int) throws(ArithmeticOverflow) -> Int32 {
        guard let narrowed = Int32(exactly: value) else {
            throw ArithmeticOverflow("\(value) is outside the 32-bit range [\(Int32.min), \(Int32.max)]")
        }
        return narrowed
    }
}
