import CZooPNG

/// PNG through libpng (the CZooPNG shim), every colour type and bit depth, interlaced or
/// not, to what Pillow's `convert("RGB")` or `convert("L")` sees: palettes expanded
/// (transparency ignored), alpha dropped, 16-bit colour cut to its high byte, 1/2/4-bit
/// grayscale scaled to 0…255. 16-bit grayscale (Pillow's mode I;16) becomes 8 bits as
/// Pillow converts it: values above 255 become 255.
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], file: String) throws(ImageError) -> Bitmap {
        var layout = zoo_png_layout()
        func failure() -> ImageError {
            let message = withUnsafeBytes(of: layout.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .corrupt(file: file, format: "PNG", reason: message)
        }
        let headerStatus = bytes.withUnsafeBufferPointer { zoo_png_read_layout($0.baseAddress, $0.count, &layout) }
        guard headerStatus == 0 else { throw failure() }
        let width = Int(layout.width), height = Int(layout.height), channels = Int(layout.channels)
        try ImageDecoder.checkSize(width: width, height: height, file: file)
        // Deflate expands at most 1032-fold, so a header claiming more rows than the file's
        // bytes can hold is refused before the pixel memory is allocated.
        let storedBytes = Double(height) * Double(layout.stored_row_bytes + 1)
        guard storedBytes <= Double(bytes.count) * 1032 else {
            throw .corrupt(file: file, format: "PNG", reason: "the header declares \(width)x\(height) pixels, "
                + "more than the file's \(bytes.count) bytes can hold (truncated or forged)")
        }

        var samples = [UInt8](repeating: 0, count: width * height * channels * Int(layout.bytes_per_sample))
        let status = bytes.withUnsafeBufferPointer { source in
            samples.withUnsafeMutableBufferPointer { target in
                zoo_png_decode(source.baseAddress, source.count, target.baseAddress, target.count, &layout)
            }
        }
        guard status == 0 else { throw failure() }
        if layout.bytes_per_sample == 2 {
            samples = samples.withUnsafeBytes { raw in
                raw.bindMemory(to: UInt16.self).map { UInt8(clamping: $0) }
            }
        }
        return Bitmap(checkedWidth: width, height: height, channels: channels, pixels: samples)
    }
}
