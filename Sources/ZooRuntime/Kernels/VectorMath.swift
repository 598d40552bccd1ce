/// Vectorised float math on 16 lanes (one AVX-512 register). The scalar libm calls are about
/// ten times slower, which matters for softmax and GELU. (Sigmoid and tanh are in C,
/// `zoo_activate`.)
typealias Float16x = SIMD16<Float>

enum VectorMath {
    /// e^x with Cephes' expf polynomial after range reduction x = n·ln2 + r, |r| ≤ ln2/2;
    /// about 1 ulp. Overflow gives +inf, underflow 0, NaN stays NaN.
    @inline(__always)
    static func exp(_ x: Float16x) -> Float16x {
        // Compare-and-replace compiles to vector compares and blends; the standard library's
        // pointwiseMin/pointwiseMax went lane by lane through memory, which made this
        // function (and sigmoid, tanh, erf, softmax with it) about 10x slower.
        var clamped = x
        clamped.replace(with: -87.3, where: x .< -87.3)
        clamped.replace(with: 88.7, where: x .> 88.7)
        // Adding 1.5·2²³ rounds to an integer in the low mantissa bits: cheaper than the
        // generic SIMD rounding and float-to-int conversions, which run lane by lane.
        let magic = Float16x(repeating: 12_582_912)
        let shifted = clamped * 1.442695040888963 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = Float16x(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let polynomial = p * r * r + r + 1
        let exponent = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        var result = polynomial * unsafeBitCast(exponent, to: Float16x.self)
        result.replace(with: .infinity, where: x .> 88.7228)
        result.replace(with: 0, where: x .< -87.3)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7).
    @inline(__always)
    static func erf(_ x: Float16x) -> Float16x {
        let a = abs(x)
        let t = 1 / (1 + 0.3275911 * a)
        var p = Float16x(repeating: 1.061405429)
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let magnitude = 1 - p * t * exp(-a * a)
        var result = magnitude
        result.replace(with: -magnitude, where: x .< 0)
        result.replace(with: x, where: x .!= x)
        return result
    }

    @inline(__always)
    static func abs(_ x: Float16x) -> Float16x {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Float16x.self)
    }

    /// Applies a 16-lane function to `count` floats, with a padded last vector.
    @inline(__always)
    static func map(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int,
                    _ function: (Float16x) -> Float16x) {
        var index = 0
        while index + 16 <= count {
            let value = UnsafeRawPointer(source + index).loadUnaligned(as: Float16x.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(of: function(value), as: Float16x.self)
            index += 16
        }
        if index < count {
            var value = Float16x(repeating: 0)
            for lane in 0..<(count - index) { value[lane] = source[index + lane] }
            let result = function(value)
            for lane in 0..<(count - index) { destination[index + lane] = result[lane] }
        }
    }
}

extension UnsafeRawPointer {
    @inline(__always) func vector(at index: Int) -> Float16x {
        (self + index * 4).loadUnaligned(as: Float16x.self)
    }
}

extension UnsafeMutableRawPointer {
    @inline(__always) func storeVector(_ value: Float16x, at index: Int) {
        (self + index * 4).storeBytes(of: value, as: Float16x.self)
    }
}
