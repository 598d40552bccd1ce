import ZooTensor

/// The arithmetic shared by the integer products (MatMulInteger, QLinearMatMul,
/// ConvInteger, QLinearConv): 8-bit operands shifted by their zero points into Int32, an
/// Int32 matrix product, and requantization of its accumulators to 8 bits.
enum IntegerArithmetic {
    /// Which zero point element `i` of a row-major operand uses: `(i / divisor) % modulus`
    /// (a scalar: modulus 1; one per row of length L: divisor L; one per column of N: modulus N).
    struct ZeroPointLayout: Sendable {
        var divisor = 1
        var modulus = 1
    }

    /// `destination[i] = source[i] − zero point` for an int8 or uint8 operand.
    static func shift(_ source: UnsafeRawPointer, dtype: DType, count: Int, zeroPoints: ParameterReader,
                      layout: ZeroPointLayout, into destination: UnsafeMutablePointer<Int32>) {
        if dtype == .int8 {
            shift(source.assumingMemoryBound(to: Int8.self), count, zeroPoints, layout, destination)
        } else {
            shift(source.assumingMemoryBound(to: UInt8.self), count, zeroPoints, layout, destination)
        }
    }

    private static func shift<E: FixedWidthInteger>(_ source: UnsafePointer<E>, _ count: Int, _ zeroPoints: ParameterReader,
                                                    _ layout: ZeroPointLayout, _ destination: UnsafeMutablePointer<Int32>) {
        guard layout.modulus > 1 else {
            let zero = zeroPoints.integer(0)
            for index in 0..<count { destination[index] = Int32(source[index]) &- zero }
            return
        }
        for index in 0..<count {
            destination[index] = Int32(source[index]) &- zeroPoints.integer((index / layout.divisor) % layout.modulus)
        }
    }

    /// `c = a · b` for row-major Int32 matrices a [rows × inner] and b [inner × columns], with
    /// wrapping int32 accumulation (onnxruntime's accumulators are int32 too). Work is split
    /// into tiles of one row by up to 256 columns, so that a narrow product (a depthwise
    /// channel) still spreads over the threads; the innermost loop runs along b's rows.
    static func multiply(_ a: UnsafePointer<Int32>, _ b: UnsafePointer<Int32>, _ c: UnsafeMutablePointer<Int32>,
                         rows: Int, inner: Int, columns: Int, threads: Int) {
        let tile = 256
        let tiles = (columns + tile - 1) / tile
        let minimumChunk = max(1, (1 << 16) / max(inner * min(tile, columns), 1))
        Parallel.forRanges(rows * tiles, threads: threads, minimumChunk: minimumChunk) { range in
            for task in range {
                let row = task / tiles, start = (task % tiles) * tile
                let width = min(tile, columns - start)
                let output = c + row * columns + start
                output.update(repeating: 0, count: width)
                for index in 0..<inner {
                    let factor = a[row * inner + index]
                    if factor == 0 { continue }
                    let bRow = b + index * columns + start
                    for column in 0..<width { output[column] &+= factor &* bRow[column] }
                }
            }
        }
    }

    /// QLinear's output: `saturate(round_half_even((accumulator + bias) · multiplier) + zeroPoint)`,
    /// the multiplier being `input scale · weight scale / output scale` (in float, as
    /// onnxruntime computes it).
    /// Accumulator `i` is read at `i · stride`.
    static func requantize<Q: FixedWidthInteger>(_ accumulators: UnsafePointer<Int32>, count: Int, stride: Int = 1, bias: Int32,
                                                 multiplier: Float, zeroPoint: Float, into destination: UnsafeMutablePointer<Q>) {
        for index in 0..<count {
            let value = (Float(accumulators[index * stride] &+ bias) * multiplier).rounded(.toNearestOrEven) + zeroPoint
            destination[index] = Quantization.saturating(value)
        }
    }
}
