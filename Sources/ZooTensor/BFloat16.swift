/// Brain floating point: the top 16 bits of an IEEE float32 (8-bit exponent, 7-bit mantissa).
/// Conversion from Float rounds to nearest, ties to even; NaN stays NaN.
public struct BFloat16: Hashable, Sendable, CustomStringConvertible {
    public var bitPattern: UInt16

    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    public init(_ value: Float) {
        let bits = value.bitPattern
        if value.isNaN {
            // Keep it a quiet NaN even when the payload sits only in the low half.
            bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
            return
        }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        bitPattern = UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var description: String { floatValue.description }
}

extension Float {
    /// `value` rounded toward zero, with the last bit set when that dropped anything
    /// ("round to odd"). A float64 rounded to float32 and then to bfloat16 is rounded twice,
    /// and a value just above a bfloat16 tie can land on the tie; rounded to odd first, the
    /// second rounding sees that it was above and is correct (float32 keeps more than two
    /// bits beyond bfloat16's).
    init(roundingToOdd value: Double) {
        var single = Float(value)
        guard !value.isNaN else {
            self = single
            return
        }
        if Double(single).magnitude > value.magnitude { single = Float(bitPattern: single.bitPattern - 1) }
        if Double(single) != value { single = Float(bitPattern: single.bitPattern | 1) }
        self = single
    }
}
