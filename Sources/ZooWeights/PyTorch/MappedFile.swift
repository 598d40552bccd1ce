import Foundation
import ZooIO

/// A regular file mapped read-only into memory, so that a checkpoint's storages are copied
/// once, from the page cache straight into each tensor, rather than read into a buffer first.
/// Every access goes through `bytes(at:count:)`, which checks the range against the size.
final class MappedFile {
    let path: String
    let size: Int
    private let base: UnsafeRawPointer?

    init(_ path: String) throws(WeightsError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .file(FileError(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .file(FileError(path: path, reason: String(cString: strerror(errno)))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .file(FileError(path: path, reason: "not a regular file")) }
        self.path = path
        self.size = Int(status.st_size)
        guard size > 0 else {
            self.base = nil
            return
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw .file(FileError(path: path, reason: "cannot map the file: \(String(cString: strerror(errno)))"))
        }
        self.base = UnsafeRawPointer(mapped)
    }

    /// The bytes `offset..<offset+count`, or nil when any of them lies outside the file.
    func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else { return nil }
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }
}
