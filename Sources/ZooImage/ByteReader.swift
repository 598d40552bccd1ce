/// Reads integers out of a byte array at given offsets, returning nil instead of reading
/// past either end: file data steers every offset here.
struct ByteReader {
    let bytes: [UInt8]
    let range: Range<Int>
    var bigEndian = true

    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        self.range = range ?? bytes.indices
    }

    /// The bytes at `offset ..< offset + count` of this reader's range, nil if out of bounds.
    func slice(at offset: Int, count: Int) -> Range<Int>? {
        guard offset >= 0, count >= 0, offset <= range.count, count <= range.count - offset else { return nil }
        return (range.lowerBound + offset)..<(range.lowerBound + offset + count)
    }

    func uint8(at offset: Int) -> Int? {
        slice(at: offset, count: 1).map { Int(bytes[$0.lowerBound]) }
    }

    func uint16(at offset: Int) -> Int? {
        guard let span = slice(at: offset, count: 2) else { return nil }
        let first = Int(bytes[span.lowerBound]), second = Int(bytes[span.lowerBound + 1])
        return bigEndian ? first << 8 | second : second << 8 | first
    }

    func uint32(at offset: Int) -> Int? {
        guard let high = uint16(at: bigEndian ? offset : offset + 2), let low = uint16(at: bigEndian ? offset + 2 : offset)
        else { return nil }
        return high << 16 | low
    }

    /// Whether the bytes at `offset` are `prefix`.
    func matches(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard let span = slice(at: offset, count: prefix.count) else { return false }
        return bytes[span].elementsEqual(prefix)
    }
}
