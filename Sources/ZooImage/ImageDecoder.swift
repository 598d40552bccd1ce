import ZooIO

/// Decodes JPEG and PNG files into 8-bit RGB or grayscale bitmaps, as Pillow opens them
/// (and `ImageOps.exif_transpose` turns JPEGs upright by their EXIF orientation).
///
///     let photo = try ImageDecoder.decode(file: "china.jpg")   // width 640, height 427, 3 channels
public enum ImageDecoder {
    /// Pillow's decompression-bomb limit (twice `Image.MAX_IMAGE_PIXELS`): larger images are
    /// refused from their header, before any pixel memory is allocated.
    public static let maximumPixels = 178_956_970
    /// Larger files are refused before they are read.
    public static let maximumFileBytes = 1 << 30

    public static func decode(file path: String) throws(ImageError) -> Bitmap {
        let bytes: [UInt8]
        do { bytes = try FileReader.readAll(path, limit: maximumFileBytes) } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        return try decode(bytes, file: path)
    }

    /// Decodes `bytes`; `file` names them in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(ImageError) -> Bitmap {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            return JPEGMarkers.orientation(of: bytes).apply(to: try JPEGDecoder.decode(bytes, file: file))
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return try PNGDecoder.decode(bytes, file: file)
        }
        throw .unknownFormat(file: file)
    }

    static func checkSize(width: Int, height: Int, file: String) throws(ImageError) {
        guard width > 0, height > 0 else {
            throw .corrupt(file: file, format: "image", reason: "the header declares \(width)x\(height) pixels")
        }
        guard width <= maximumPixels / height else {
            throw .tooLarge(file: file, width: width, height: height, limit: maximumPixels)
        }
    }
}
