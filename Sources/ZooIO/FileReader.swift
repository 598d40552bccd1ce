import Foundation

/// Reads whole files with a size limit checked before any allocation, so a huge or
/// hostile file is an error rather than an out-of-memory crash.
public enum FileReader {
    /// Reads the whole file; `progress`, when given, is called with (bytes read, total) as
    /// chunks arrive, for a progress bar on large files.
    public static func readAll(_ path: String, limit: Int, progress: ((Int, Int) -> Void)? = nil) throws(FileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw FileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileError(path: path, reason: String(cString: strerror(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw FileError(path: path, reason: "the file is \(size) bytes, more than the \(limit) bytes allowed")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        let failure: Int32? = bytes.withUnsafeMutableBytes { buffer in
            while offset < size {
                // Chunks of 64 MiB keep a progress bar moving; one read would do otherwise.
                let count = read(descriptor, buffer.baseAddress! + offset, min(size - offset, 64 << 20))
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if count == 0 { break }
                offset += count
                progress?(offset, size)
            }
            return nil
        }
        if let failure { throw FileError(path: path, reason: String(cString: strerror(failure))) }
        guard offset == size else { throw FileError(path: path, reason: "the file shrank while it was read") }
        return bytes
    }
}
