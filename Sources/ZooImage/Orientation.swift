/// The EXIF orientation tag: how the stored pixels must be turned to show the picture
/// upright. Applied as Pillow's `ImageOps.exif_transpose` applies it.
public enum Orientation: Int, Sendable, CaseIterable {
    case up = 1, mirrored = 2, upsideDown = 3, upsideDownMirrored = 4
    case transposed = 5, rotatedClockwise = 6, transverse = 7, rotatedCounterclockwise = 8

    /// Orientations 5 to 8 exchange width and height.
    var swapsAxes: Bool { rawValue >= 5 }

    /// Whether walking along the output's x and y walks backwards through the source.
    private var reversals: (x: Bool, y: Bool) {
        switch self {
        case .up, .transposed: (false, false)
        case .mirrored: (true, false)
        case .upsideDown, .transverse: (true, true)
        case .upsideDownMirrored: (false, true)
        case .rotatedClockwise: (true, false)
        case .rotatedCounterclockwise: (false, true)
        }
    }

    /// The image turned upright: output pixel (x, y) is source pixel (x, y) with axes
    /// reversed as `reversals` says, and exchanged for 5 to 8 (Pillow's FLIP_LEFT_RIGHT,
    /// ROTATE_180, FLIP_TOP_BOTTOM, TRANSPOSE, ROTATE_270, TRANSVERSE, ROTATE_90).
    func apply(to image: Bitmap) -> Bitmap {
        guard self != .up else { return image }
        let (width, height) = swapsAxes ? (image.height, image.width) : (image.width, image.height)
        let (reverseX, reverseY) = reversals
        let channels = image.channels
        var pixels = [UInt8](repeating: 0, count: image.pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                let alongX = reverseX ? width - 1 - x : x, alongY = reverseY ? height - 1 - y : y
                let (sourceX, sourceY) = swapsAxes ? (alongY, alongX) : (alongX, alongY)
                let source = (sourceY * image.width + sourceX) * channels, target = (y * width + x) * channels
                for channel in 0..<channels { pixels[target + channel] = image.pixels[source + channel] }
            }
        }
        return Bitmap(checkedWidth: width, height: height, channels: channels, pixels: pixels)
    }
}
