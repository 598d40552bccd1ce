import ZooTensor

/// The element count of ONNX Range, max(⌈(limit − start) / delta⌉, 0), shared by shape
/// inference and the runtime so both size the output alike. Integer bounds are computed
/// exactly (in 128 bits: limit − start of two int64s needs 65); floating-point ones in
/// doubles, which must give a finite count within 64 bits.
public enum RangeCount {
    public static func count(start: Tensor, limit: Tensor, delta: Tensor) throws(ArithmeticOverflow) -> Int {
        if let first = start.integerValues?.first, let last = limit.integerValues?.first,
           let step = delta.integerValues?.first, step != 0 {
            let distance = Int128(last) - Int128(first)
            var quotient = distance / Int128(step)
            if distance % Int128(step) != 0, (distance > 0) == (step > 0) { quotient += 1 }
            guard let count = Int(exactly: max(quotient, 0)) else {
                throw ArithmeticOverflow("start \(first), limit \(last) and delta \(step) give \(quotient) elements, more than 64 bits count")
            }
            return count
        }
        let (first, last, step) = (start.doubleValues[0], limit.doubleValues[0], delta.doubleValues[0])
        let steps = ((last - first) / step).rounded(.up)
        do { return max(try CheckedArithmetic.integer(steps), 0) } catch {
            throw ArithmeticOverflow("start \(first), limit \(last) and delta \(step) give \(steps) elements: \(error)")
        }
    }
}
