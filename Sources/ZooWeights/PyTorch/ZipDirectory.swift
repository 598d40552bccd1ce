/// The entries of a zip archive, read from its central directory (PKWARE APPNOTE 6.3.x,
/// sections 4.3.7 to 4.3.16, with the zip64 end records that files over 4 GiB need).
///
/// Why our own reader rather than libzip: torch.save stores every entry uncompressed and
/// 64-byte aligned precisely so that a reader can map the storages in place, and that needs
/// the offset of each entry's data in the file. libzip (Debian's 1.7) reads entries only
/// through `zip_fread` into a caller's buffer and has no public call giving that offset, so
/// storages would be copied twice. The reader below is small and checks every field it uses
/// against the file's size; compressed entries are refused (torch never writes them), so no
/// inflater runs on hostile data and a zip bomb has nothing to expand.
struct ZipDirectory {
    struct Entry {
        let name: String
        /// Where the entry's stored bytes start in the file, and how many there are.
        let dataOffset: Int
        let byteCount: Int
    }

    /// Entries by name; names are unique (a duplicate is refused).
    let entries: [String: Entry]

    /// Central directories larger than this are refused before they are walked.
    static let maximumEntryCount = 1_000_000

    init(_ file: MappedFile) throws(WeightsError) {
        let path = file.path
        func fail(_ reason: String) -> WeightsError { .unreadableCheckpoint(file: path, reason: reason) }
        let end = try Self.endRecord(in: file)
        var entries: [String: Entry] = [:]
        var cursor = end.directoryOffset
        let directoryEnd = end.directoryOffset + end.directorySize
        for index in 0..<end.entryCount {
            guard let header = Self.record(file, at: cursor, count: 46, limit: directoryEnd),
                  header.uint32(0) == 0x0201_4b50 else {
                throw fail("central directory entry \(index) at byte \(cursor) is missing or cut short")
            }
            let nameLength = Int(header.uint16(28)), extraLength = Int(header.uint16(30)), commentLength = Int(header.uint16(32))
            guard let nameBytes = Self.record(file, at: cursor + 46, count: nameLength, limit: directoryEnd),
                  let extra = Self.record(file, at: cursor + 46 + nameLength, count: extraLength, limit: directoryEnd),
                  cursor + 46 + nameLength + extraLength + commentLength <= directoryEnd else {
                throw fail("central directory entry \(index) runs past the directory's end")
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard header.uint16(8) & 1 == 0 else { throw fail("entry '\(name)' is encrypted") }
            let method = header.uint16(10)
            var sizes = Zip64Sizes(byteCount: Int(header.uint32(24)), compressedCount: Int(header.uint32(20)),
                                   localOffset: Int(header.uint32(42)))
            try sizes.widen(from: extra, entry: name, file: path)
            guard method == 0 else {
                throw fail("entry '\(name)' is compressed (method \(method), \(sizes.compressedCount) bytes declaring "
                           + "\(sizes.byteCount)); torch.save stores entries uncompressed, and only stored entries are read")
            }
            guard sizes.compressedCount == sizes.byteCount else {
                throw fail("stored entry '\(name)' declares \(sizes.byteCount) bytes but occupies \(sizes.compressedCount)")
            }
            let dataOffset = try Self.dataOffset(of: name, localOffset: sizes.localOffset, in: file, before: end.directoryOffset)
            guard sizes.byteCount <= end.directoryOffset - dataOffset else {
                throw fail("entry '\(name)' declares \(sizes.byteCount) bytes from byte \(dataOffset), past the end of the data "
                           + "(byte \(end.directoryOffset)): the archive is truncated or corrupt")
            }
            guard entries[name] == nil else { throw fail("the archive holds two entries named '\(name)'") }
            entries[name] = Entry(name: name, dataOffset: dataOffset, byteCount: sizes.byteCount)
            cursor += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The end-of-central-directory record (and its zip64 form when the classic one is
    /// saturated): where the directory is and how many entries it has.
    private static func endRecord(in file: MappedFile) throws(WeightsError) -> (entryCount: Int, directoryOffset: Int, directorySize: Int) {
        let path = file.path
        func fail(_ reason: String) -> WeightsError { .unreadableCheckpoint(file: path, reason: reason) }
        // The record is 22 bytes followed by a comment of at most 65,535 bytes.
        var position = file.size - 22
        let lowest = max(0, file.size - 22 - 65_535)
        var found: Int?
        while position >= lowest {
            if let record = record(file, at: position, count: 22, limit: file.size), record.uint32(0) == 0x0605_4b50 {
                found = position
                break
            }
            position -= 1
        }
        guard let found, let record = record(file, at: found, count: 22, limit: file.size) else {
            throw fail("no zip end-of-central-directory record: the archive is truncated or not a zip file")
        }
        var entryCount = Int(record.uint16(10)), size = Int(record.uint32(12)), offset = Int(record.uint32(16))
        if entryCount == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            guard let locator = Self.record(file, at: found - 20, count: 20, limit: found), locator.uint32(0) == 0x0706_4b50,
                  let zip64Offset = Int(exactly: locator.uint64(8)),
                  let zip64 = Self.record(file, at: zip64Offset, count: 56, limit: found), zip64.uint32(0) == 0x0606_4b50,
                  let count = Int(exactly: zip64.uint64(32)), let size64 = Int(exactly: zip64.uint64(40)),
                  let offset64 = Int(exactly: zip64.uint64(48)) else {
                throw fail("the zip64 end record is missing or corrupt")
            }
            (entryCount, size, offset) = (count, size64, offset64)
        }
        guard entryCount <= maximumEntryCount else { throw fail("the archive claims \(entryCount) entries, more than \(maximumEntryCount)") }
        guard offset <= found, size <= found - offset else {
            throw fail("the central directory (\(size) bytes at byte \(offset)) lies outside the file's \(file.size) bytes")
        }
        return (entryCount, offset, size)
    }

    /// The first byte of an entry's data: after its local header, whose name must agree.
    private static func dataOffset(of name: String, localOffset: Int, in file: MappedFile, before limit: Int) throws(WeightsError) -> Int {
        guard let local = record(file, at: localOffset, count: 30, limit: limit), local.uint32(0) == 0x0403_4b50 else {
            throw .unreadableCheckpoint(file: file.path, reason: "entry '\(name)' has no local header at byte \(localOffset)")
        }
        let nameLength = Int(local.uint16(26)), extraLength = Int(local.uint16(28))
        guard let localName = record(file, at: localOffset + 30, count: nameLength, limit: limit),
              String(decoding: localName, as: UTF8.self) == name else {
            throw .unreadableCheckpoint(file: file.path, reason: "entry '\(name)': the local header names another entry")
        }
        return localOffset + 30 + nameLength + extraLength
    }

    /// `count` bytes at `offset`, or nil unless they lie wholly before `limit`.
    private static func record(_ file: MappedFile, at offset: Int, count: Int, limit: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, count >= 0, offset <= limit, count <= limit - offset else { return nil }
        return file.bytes(at: offset, count: count)
    }
}

/// An entry's sizes and local header offset, each replaced by its 64-bit value from the
/// zip64 extra field (tag 1) when the 32-bit field is saturated.
private struct Zip64Sizes {
    var byteCount: Int
    var compressedCount: Int
    var localOffset: Int

    mutating func widen(from extra: UnsafeRawBufferPointer, entry: String, file: String) throws(WeightsError) {
        guard byteCount == 0xFFFF_FFFF || compressedCount == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF else { return }
        var cursor = 0
        while cursor + 4 <= extra.count {
            let tag = extra.uint16(cursor), length = Int(extra.uint16(cursor + 2))
            guard cursor + 4 + length <= extra.count else { break }
            if tag == 1 {
                var field = cursor + 4
                for keyPath in [\Zip64Sizes.byteCount, \.compressedCount, \.localOffset] where self[keyPath: keyPath] == 0xFFFF_FFFF {
                    guard field + 8 <= cursor + 4 + length, let value = Int(exactly: extra.uint64(field)) else {
                        throw .unreadableCheckpoint(file: file, reason: "entry '\(entry)': the zip64 extra field is cut short")
                    }
                    self[keyPath: keyPath] = value
                    field += 8
                }
                return
            }
            cursor += 4 + length
        }
        throw .unreadableCheckpoint(file: file, reason: "entry '\(entry)' needs a zip64 extra field and has none")
    }
}

extension UnsafeRawBufferPointer {
    /// Little-endian integers at a byte offset the caller has checked.
    func uint16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    func uint32(_ offset: Int) -> UInt32 { UInt32(uint16(offset)) | UInt32(uint16(offset + 2)) << 16 }
    func uint64(_ offset: Int) -> UInt64 { UInt64(uint32(offset)) | UInt64(uint32(offset + 4)) << 32 }
}
