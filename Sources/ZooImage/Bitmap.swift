/// An 8-bit image: `height` rows of `width` pixels, top to bottom, each pixel's `channels`
/// samples together (HWC). One channel is grayscale, three are R, G, B.
public struct Bitmap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public let pixels: [UInt8]

    /// Fails unless `pixels` holds exactly width · height · channels samples of 1 or 3 channels.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws(ImageError) {
        let area = width.multipliedReportingOverflow(by: height)
        let samples = area.partialValue.multipliedReportingOverflow(by: channels)
        guard width > 0, height > 0, channels == 1 || channels == 3, !area.overflow, !samples.overflow,
              samples.partialValue == pixels.count
        else {
            throw .invalidPreprocessing(reason: "a \(width)x\(height) bitmap of \(channels) channels cannot hold \(pixels.count) samples")
        }
        self.init(checkedWidth: width, height: height, channels: channels, pixels: pixels)
    }

    /// For callers that computed the sizes themselves.
    init(checkedWidth width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Three channels: grayscale replicated, as Pillow's `convert("RGB")` of an `L` image.
    public func rgb() -> Bitmap {
        guard channels == 1 else { return self }
        var rgb = [UInt8](repeating: 0, count: pixels.count * 3)
        for (index, value) in pixels.enumerated() {
            rgb[3 * index] = value
            rgb[3 * index + 1] = value
            rgb[3 * index + 2] = value
        }
        return Bitmap(checkedWidth: width, height: height, channels: 3, pixels: rgb)
    }

    /// One channel: ITU-R 601-2 luma in Pillow's fixed point (`convert("L")`),
    /// L = (19595 R + 38470 G + 7471 B + 2^15) >> 16.
    public func grayscale() -> Bitmap {
        guard channels == 3 else { return self }
        let gray = (0..<(width * height)).map { index in
            let red = UInt32(pixels[3 * index]), green = UInt32(pixels[3 * index + 1]), blue = UInt32(pixels[3 * index + 2])
            return UInt8((red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16)
        }
        return Bitmap(checkedWidth: width, height: height, channels: 1, pixels: gray)
    }
}
