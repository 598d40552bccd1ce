/// The metadata ZooImage takes from a JPEG's marker segments before the image data: the
/// EXIF orientation (the first APP1 "Exif" segment's IFD0 tag 0x0112, as Pillow's
/// `getexif()` reads it). Damaged metadata is ignored, as Pillow ignores it: the
/// orientation is then 1 and the decoder judges the image data.
enum JPEGMarkers {
    static func orientation(of bytes: [UInt8]) -> Orientation {
        guard let exif = firstExifSegment(of: bytes) else { return .up }
        return exifOrientation(ByteReader(bytes, range: exif)) ?? .up
    }

    /// The payload of the first APP1 segment that starts with "Exif\0\0", searched up to
    /// the start of scan.
    static func firstExifSegment(of bytes: [UInt8]) -> Range<Int>? {
        let reader = ByteReader(bytes)
        guard reader.uint16(at: 0) == 0xFFD8 else { return nil }
        var offset = 2
        while let prefix = reader.uint8(at: offset), prefix == 0xFF {
            guard let marker = reader.uint8(at: offset + 1) else { return nil }
            if marker == 0xFF { offset += 1; continue }  // fill byte
            offset += 2
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // no length
            if marker == 0xDA || marker == 0xD9 { return nil }  // start of scan, end of image
            guard let length = reader.uint16(at: offset), length >= 2,
                  let payload = reader.slice(at: offset + 2, count: length - 2)
            else { return nil }
            if marker == 0xE1, ByteReader(bytes, range: payload).matches(Array("Exif\0\0".utf8), at: 0) {
                return payload
            }
            offset += length
        }
        return nil
    }

    /// Tag 0x0112 of IFD0 in an APP1 Exif payload: "Exif\0\0", then a TIFF header
    /// ("II*\0" little-endian or "MM\0*" big-endian, IFD0's offset) and IFD0's 12-byte entries.
    static func exifOrientation(_ payload: ByteReader) -> Orientation? {
        guard let tiff = payload.slice(at: 6, count: payload.range.count - 6) else { return nil }
        var reader = ByteReader(payload.bytes, range: tiff)
        if reader.matches(Array("II*\0".utf8), at: 0) {
            reader.bigEndian = false
        } else if !reader.matches(Array("MM\0*".utf8), at: 0) {
            return nil
        }
        guard let ifd = reader.uint32(at: 4), let entryCount = reader.uint16(at: ifd) else { return nil }
        for entry in 0..<entryCount {
            let start = ifd + 2 + 12 * entry
            guard let tag = reader.uint16(at: start), let type = reader.uint16(at: start + 2),
                  let count = reader.uint32(at: start + 4)
            else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT (3) or LONG (4), one value, held in the entry's value field.
            let value = switch (type, count) {
            case (3, 1): reader.uint16(at: start + 8)
            case (4, 1): reader.uint32(at: start + 8)
            default: Int?.none
            }
            return value.flatMap(Orientation.init(rawValue:))
        }
        return nil
    }
}
