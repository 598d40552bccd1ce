import Testing
import ZooTensor

/// Conversions into float16 and bfloat16 round to nearest, ties to even, checked bit for
/// bit at the values where that differs from truncation or from rounding ties away: exact
/// ties, values a hair above a tie, values a hair below the next representable one,
/// subnormals and the overflow threshold. A tolerance could not tell these apart: truncation
/// is off by less than one unit in the last place.
@Suite struct HalfPrecisionRoundingTests {
    /// (value, expected bits); ulp(1) is 2^-10 in float16.
    static let float16Cases: [(Double, UInt16)] = [
        (1 + 0x1p-11, 0x3C00),  // a tie: down to the even 1.0
        (1 + 3 * 0x1p-11, 0x3C02),  // a tie: up to the even neighbour
        (1 + 0x1p-11 + 0x1p-30, 0x3C01),  // just above a tie: up (truncation gives 0x3C00)
        (1 + 0x1p-10 - 0x1p-30, 0x3C01),  // just below 1 + ulp: up (truncation gives 0x3C00)
        (-(1 + 3 * 0x1p-11), 0xBC02),
        (1.0 / 3, 0x3555),
        (0x1p-25, 0x0000),  // half the smallest subnormal: a tie, to the even zero
        (3 * 0x1p-25, 0x0002),  // 1.5 subnormal steps: a tie, to the even 2
        (0x1p-25 + 0x1p-40, 0x0001),
        (65519, 0x7BFF),  // below the overflow threshold: the largest finite value
        (65520, 0x7C00),  // the threshold itself is a tie with 2^16: to infinity
        (-0.0, 0x8000),
    ]

    /// (value, expected bits); ulp(1) is 2^-7 in bfloat16.
    static let bfloat16Cases: [(Double, UInt16)] = [
        (1 + 0x1p-8, 0x3F80),
        (1 + 3 * 0x1p-8, 0x3F82),
        (1 + 0x1p-8 + 0x1p-20, 0x3F81),  // above the tie by a float32-representable amount
        (1 + 0x1p-7 - 0x1p-20, 0x3F81),
        (-(1 + 3 * 0x1p-8), 0xBF82),
        (1.0 / 3, 0x3EAB),
        (0x1p-134, 0x0000),  // half the smallest subnormal (2^-133): a tie, to the even zero
        (3 * 0x1p-134, 0x0002),
        (Double(Float.greatestFiniteMagnitude), 0x7F80),  // above (2 − 2^-8)·2^127: to infinity
        (Double(Float(bitPattern: 0x7F7F_7FFF)), 0x7F7F),  // just below the tie with infinity
        (-0.0, 0x8000),
    ]

    @Test(arguments: float16Cases)
    func float16RoundsToNearestEven(value: Double, bits: UInt16) {
        #expect(Float16(fromDouble: value).bitPattern == bits, "\(value)")
        if let single = Float(exactly: value) {
            #expect(Float16(fromDouble: Double(single)).bitPattern == bits, "\(value) as float32")
        }
    }

    @Test(arguments: bfloat16Cases)
    func bfloat16RoundsToNearestEven(value: Double, bits: UInt16) {
        #expect(BFloat16(fromDouble: value).bitPattern == bits, "\(value)")
        if let single = Float(exactly: value) { #expect(BFloat16(single).bitPattern == bits, "\(value) as float32") }
    }

    /// A float64 that is just above a bfloat16 tie but rounds to the tie itself in float32:
    /// going through float32 first would round twice and land on the even side.
    @Test func bfloat16FromDoubleRoundsOnce() {
        #expect(BFloat16(fromDouble: 1 + 0x1p-8 + 0x1p-40).bitPattern == 0x3F81)
        #expect(BFloat16(fromDouble: -(1 + 0x1p-8 + 0x1p-40)).bitPattern == 0xBF81)
        #expect(BFloat16(fromDouble: 1 + 3 * 0x1p-8 - 0x1p-40).bitPattern == 0x3F81)
    }

    @Test func nanStaysNaN() {
        #expect(Float16(fromDouble: .nan).isNaN)
        #expect(BFloat16(fromDouble: .nan).floatValue.isNaN)
        #expect(BFloat16(fromDouble: .infinity).bitPattern == 0x7F80)
        #expect(BFloat16(fromDouble: -.infinity).bitPattern == 0xFF80)
    }
}
