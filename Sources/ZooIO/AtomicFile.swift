import Foundation

/// Writes files so that readers see either the old file or the complete new one: the bytes
/// go to a temporary file in the same directory, are flushed to disk, and the temporary
/// file is renamed over the target. A failure at any point removes the temporary file and
/// leaves the target untouched.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(FileError) {
        try write(to: path) { (descriptor: Int32) throws(FileError) in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
        var failure: FileError?
        bytes.withUnsafeBytes { buffer in
            do throws(FileError) { try write(buffer, to: path) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Calls `produce` with a descriptor open on a temporary file next to `path`, then
    /// syncs and renames it to `path`. Use this when the bytes are produced in pieces.
    public static func write(to path: String, _ produce: (Int32) throws(FileError) -> Void) throws(FileError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).XXXXXX.tmp".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard descriptor >= 0 else {
            throw FileError(path: path, reason: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(temporaryPath) }
        }
        do {
            defer { close(descriptor) }
            try produce(descriptor)
            guard fsync(descriptor) == 0 else { throw FileError(path: path, reason: String(cString: strerror(errno))) }
        }
        // mkstemp creates files readable only by the owner; give the result ordinary permissions.
        let mask = umask(0)
        umask(mask)
        chmod(temporaryPath, 0o666 & ~mask)
        guard rename(temporaryPath, path) == 0 else {
            throw FileError(path: path, reason: "cannot replace the file: \(String(cString: strerror(errno)))")
        }
        committed = true
    }
}
