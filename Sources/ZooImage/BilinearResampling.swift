/// Pillow's resize of 8-bit images with the bilinear filter (`Image.resize(size,
/// Image.BILINEAR)`, what torchvision's Resize does to PIL images), reproduced to the
/// last bit. It is separable (columns first, then rows, through an 8-bit intermediate),
/// and when it shrinks the triangle filter widens by the shrink factor, so it averages
/// (antialiases) rather than samples. Each output sample is a weighted sum with weights
/// in 22-bit fixed point, rounded to the nearest integer and clamped to 0…255.
enum BilinearResampling {
    static func resize(_ image: Bitmap, width: Int, height: Int) -> Bitmap {
        var result = image
        if width != image.width { result = horizontalPass(result, taps: Taps(inputSize: image.width, outputSize: width)) }
        if height != image.height { result = verticalPass(result, taps: Taps(inputSize: image.height, outputSize: height)) }
        return result
    }

    private static let precisionBits = 22

    /// For each output position: the first input position it reads, how many it reads,
    /// and their fixed-point weights (`stride` apart), as Pillow's `precompute_coeffs`.
    struct Taps {
        var first: [Int] = []
        var count: [Int] = []
        var weights: [Int] = []
        let stride: Int

        init(inputSize: Int, outputSize: Int) {
            let scale = Double(inputSize) / Double(outputSize)
            let filterScale = max(scale, 1)
            let support = filterScale  // the triangle's support is 1, widened when shrinking
            stride = Int(support.rounded(.up)) * 2 + 1
            let inverseFilterScale = 1 / filterScale
            for output in 0..<outputSize {
                let center = (Double(output) + 0.5) * scale
                let low = max(Int(center - support + 0.5), 0)
                let high = min(Int(center + support + 0.5), inputSize)
                var taps = (low..<high).map { input in
                    max(1 - abs((Double(input) - center + 0.5) * inverseFilterScale), 0)
                }
                let total = taps.reduce(0, +)
                if total != 0 { taps = taps.map { $0 / total } }
                first.append(low)
                count.append(high - low)
                let scaleToFixed = Double(1 << BilinearResampling.precisionBits)
                weights += taps.map { Int($0 < 0 ? -0.5 + $0 * scaleToFixed : 0.5 + $0 * scaleToFixed) }
                weights += repeatElement(0, count: stride - taps.count)
            }
        }

        /// Σ sample(first + i) · weight(i), rounded and clamped to 0…255.
        func apply(output: Int, sample: (Int) -> UInt8) -> UInt8 {
            var sum = 1 << (BilinearResampling.precisionBits - 1)
            for tap in 0..<count[output] {
                sum += Int(sample(first[output] + tap)) * weights[output * stride + tap]
            }
            return UInt8(clamping: sum >> BilinearResampling.precisionBits)
        }
    }

    private static func horizontalPass(_ image: Bitmap, taps: Taps) -> Bitmap {
        let width = taps.count.count, channels = image.channels
        var pixels = [UInt8](repeating: 0, count: width * image.height * channels)
        for y in 0..<image.height {
            let row = y * image.width * channels
            for x in 0..<width {
                for channel in 0..<channels {
                    pixels[(y * width + x) * channels + channel] = taps.apply(output: x) { image.pixels[row + $0 * channels + channel] }
                }
            }
        }
        return Bitmap(checkedWidth: width, height: image.height, channels: channels, pixels: pixels)
    }

    private static func verticalPass(_ image: Bitmap, taps: Taps) -> Bitmap {
        let height = taps.count.count, channels = image.channels, rowLength = image.width * channels
        var pixels = [UInt8](repeating: 0, count: image.width * height * channels)
        for y in 0..<height {
            for column in 0..<rowLength {
                pixels[y * rowLength + column] = taps.apply(output: y) { image.pixels[$0 * rowLength + column] }
            }
        }
        return Bitmap(checkedWidth: image.width, height: height, channels: channels, pixels: pixels)
    }
}
