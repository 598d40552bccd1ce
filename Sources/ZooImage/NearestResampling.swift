/// Pillow's resize with the nearest filter (`Image.resize(size, Image.NEAREST)`, the
/// default of `keras.utils.load_img`), reproduced to the last bit: output column x reads
/// input column ⌊(x + ½)·scale⌋, where Pillow accumulates the position by repeated
/// addition of the scale in double precision (so the sum's rounding is part of the result);
/// a position that rounding carries past the edge stays black, as in Pillow.
enum NearestResampling {
    static func resize(_ image: Bitmap, width: Int, height: Int) -> Bitmap {
        let columns = sourcePositions(inputSize: image.width, outputSize: width)
        let rows = sourcePositions(inputSize: image.height, outputSize: height)
        let channels = image.channels
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for (y, row) in rows.enumerated() {
            for (x, column) in columns.enumerated() {
                guard let row, let column else { continue }
                let source = (row * image.width + column) * channels, target = (y * width + x) * channels
                for channel in 0..<channels { pixels[target + channel] = image.pixels[source + channel] }
            }
        }
        return Bitmap(checkedWidth: width, height: height, channels: channels, pixels: pixels)
    }

    private static func sourcePositions(inputSize: Int, outputSize: Int) -> [Int?] {
        let scale = Double(inputSize) / Double(outputSize)
        var position = scale * 0.5
        return (0..<outputSize).map { _ in
            defer { position += scale }
            let index = Int(position)
            return index < inputSize ? index : nil
        }
    }
}
