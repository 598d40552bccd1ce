import CTurboJPEG

/// JPEG through libjpeg-turbo's TurboJPEG API, configured as Pillow configures libjpeg:
/// the accurate integer IDCT (JDCT_ISLOW) and fancy (smooth) chroma upsampling. Grayscale
/// files decode to one channel, YCbCr and RGB files to RGB, CMYK and YCCK files to RGB as
/// Pillow converts them. Any libjpeg warning (premature end of data, corrupt entropy
/// data) is an error, and progressive files may have at most 500 scans.
enum JPEGDecoder {
    static func decode(_ bytes: [UInt8], file: String) throws(ImageError) -> Bitmap {
        guard let handle = tjInitDecompress() else { throw .corrupt(file: file, format: "JPEG", reason: "TurboJPEG could not start") }
        defer { tjDestroy(handle) }
        func failure() -> ImageError {
            .corrupt(file: file, format: "JPEG", reason: tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error")
        }

        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { buffer in
            tjDecompressHeader3(handle, buffer.baseAddress, UInt(buffer.count), &width, &height, &subsampling, &colorspace)
        }
        guard headerStatus == 0 else { throw failure() }
        try ImageDecoder.checkSize(width: Int(width), height: Int(height), file: file)

        let (format, samples): (TJPF, Int) = switch colorspace {
        case Int32(TJCS_GRAY.rawValue): (TJPF_GRAY, 1)
        case Int32(TJCS_CMYK.rawValue), Int32(TJCS_YCCK.rawValue): (TJPF_CMYK, 4)
        default: (TJPF_RGB, 3)
        }
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * samples)
        let flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let status = bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                tjDecompress2(handle, source.baseAddress, UInt(source.count), target.baseAddress, width, 0, height,
                              Int32(format.rawValue), Int32(flags))
            }
        }
        guard status == 0 else { throw failure() }
        if samples == 4 { return adobeCMYKToRGB(pixels, width: Int(width), height: Int(height)) }
        return Bitmap(checkedWidth: Int(width), height: Int(height), channels: samples, pixels: pixels)
    }

    /// Pillow reads every CMYK JPEG with Adobe's inverted polarity (raw mode "CMYK;I":
    /// C = 255 − stored) and converts CMYK to RGB as R = (255 − K) − (C·(255 − K))/255, with
    /// its rounded division by 255 (MULDIV255). With stored values c and k, 255 − K = k.
    private static func adobeCMYKToRGB(_ cmyk: [UInt8], width: Int, height: Int) -> Bitmap {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for pixel in 0..<(width * height) {
            let black = Int(cmyk[4 * pixel + 3])
            for channel in 0..<3 {
                let product = (255 - Int(cmyk[4 * pixel + channel])) * black + 128
                rgb[3 * pixel + channel] = UInt8(clamping: black - (((product >> 8) + product) >> 8))
            }
        }
        return Bitmap(checkedWidth: width, height: height, channels: 3, pixels: rgb)
    }
}
