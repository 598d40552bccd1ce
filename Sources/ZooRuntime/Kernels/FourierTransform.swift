import Foundation

/// A complex discrete Fourier transform of a fixed length n, `X[k] = Σ x[j]·e^(∓2πi·jk/n)`
/// (− forward, + inverse, unscaled), in Double. Powers of two run an iterative radix-2
/// FFT; other lengths Bluestein's algorithm: with the chirp w[k] = e^(−πi·k²/n), X = w ·
/// ((x·w) ⊛ conj(w)), the convolution done by radix-2 FFTs of m ≥ 2n − 1 points. Planned
/// once (twiddles, the chirp and its transform); `transform` is safe from many threads.
struct FourierTransform: Sendable {
    let length: Int
    private let radix2: Radix2?
    private let bluestein: Bluestein?

    init(length: Int) {
        self.length = length
        if length <= 1 || length & (length - 1) == 0 {
            radix2 = Radix2(length: max(length, 1))
            bluestein = nil
        } else {
            radix2 = nil
            bluestein = Bluestein(length: length)
        }
    }

    /// Scratch Doubles `transform` needs (real and imaginary parts of the padded signal).
    var scratchCount: Int { bluestein.map { 2 * $0.padded.length } ?? 0 }

    /// Transforms `real`/`imaginary` (length n each) in place.
    func transform(_ real: UnsafeMutablePointer<Double>, _ imaginary: UnsafeMutablePointer<Double>, inverse: Bool,
                   scratch: UnsafeMutablePointer<Double>) {
        guard length > 1 else { return }
        if let radix2 {
            radix2.transform(real, imaginary, inverse: inverse)
        } else if let bluestein {
            // The inverse as conj(DFT(conj(x))).
            if inverse { for index in 0..<length { imaginary[index] = -imaginary[index] } }
            bluestein.transform(real, imaginary, scratch: scratch)
            if inverse { for index in 0..<length { imaginary[index] = -imaginary[index] } }
        }
    }

    /// In-place iterative FFT (bit-reversal permutation, then butterflies).
    private struct Radix2: Sendable {
        let length: Int
        /// e^(−2πi·k/n) for k < n/2.
        let cosines: [Double], sines: [Double]

        init(length: Int) {
            self.length = length
            let half = length / 2
            cosines = (0..<half).map { cos(-2 * Double.pi * Double($0) / Double(length)) }
            sines = (0..<half).map { sin(-2 * Double.pi * Double($0) / Double(length)) }
        }

        func transform(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, inverse: Bool) {
            let n = length
            var j = 0
            for i in 1..<n {
                var bit = n >> 1
                while j & bit != 0 { j ^= bit; bit >>= 1 }
                j |= bit
                if i < j { swap(&re[i], &re[j]); swap(&im[i], &im[j]) }
            }
            let sign = inverse ? -1.0 : 1.0
            var size = 2
            while size <= n {
                let half = size / 2, step = n / size
                var start = 0
                while start < n {
                    for k in 0..<half {
                        let (c, s) = (cosines[k * step], sign * sines[k * step])
                        let (a, b) = (start + k, start + k + half)
                        let tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c
                        re[b] = re[a] - tr; im[b] = im[a] - ti
                        re[a] += tr; im[a] += ti
                    }
                    start += size
                }
                size <<= 1
            }
        }
    }

    private struct Bluestein: Sendable {
        let length: Int
        let padded: Radix2
        /// The chirp e^(−πi·k²/n), k < n.
        let chirpCos: [Double], chirpSin: [Double]
        /// The radix-2 transform of conj(chirp) laid out circularly over m points.
        let kernelReal: [Double], kernelImaginary: [Double]

        init(length n: Int) {
            length = n
            var m = 1
            while m < 2 * n - 1 { m <<= 1 }
            padded = Radix2(length: m)
            // k² mod 2n keeps the angle exact for large k.
            let angles = (0..<n).map { k in Double.pi * Double((k * k) % (2 * n)) / Double(n) }
            chirpCos = angles.map { cos($0) }
            chirpSin = angles.map { -sin($0) }
            var real = [Double](repeating: 0, count: m), imaginary = [Double](repeating: 0, count: m)
            for k in 0..<n {
                real[k] = chirpCos[k]; imaginary[k] = -chirpSin[k]
                if k > 0 { real[m - k] = chirpCos[k]; imaginary[m - k] = -chirpSin[k] }
            }
            let radix = padded
            real.withUnsafeMutableBufferPointer { r in
                imaginary.withUnsafeMutableBufferPointer { i in radix.transform(r.baseAddress!, i.baseAddress!, inverse: false) }
            }
            kernelReal = real
            kernelImaginary = imaginary
        }

        func transform(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
            let m = padded.length, n = length
            let ar = scratch, ai = scratch + m
            for k in 0..<m {
                if k < n {
                    ar[k] = re[k] * chirpCos[k] - im[k] * chirpSin[k]
                    ai[k] = re[k] * chirpSin[k] + im[k] * chirpCos[k]
                } else {
                    ar[k] = 0; ai[k] = 0
                }
            }
            padded.transform(ar, ai, inverse: false)
            for k in 0..<m {
                let (r, i) = (ar[k] * kernelReal[k] - ai[k] * kernelImaginary[k], ar[k] * kernelImaginary[k] + ai[k] * kernelReal[k])
                ar[k] = r; ai[k] = i
            }
            padded.transform(ar, ai, inverse: true)
            let scale = 1 / Double(m)
            for k in 0..<n {
                let (r, i) = (ar[k] * scale, ai[k] * scale)
                re[k] = r * chirpCos[k] - i * chirpSin[k]
                im[k] = r * chirpSin[k] + i * chirpCos[k]
            }
        }
    }
}
