import Foundation
import ZooIO
import ZooTensor

/// A regular file opened for reading, with its size taken once, so that every offset and
/// length read from the file's own headers can be checked against it before use.
struct ReadOnlyFile: ~Copyable {
    let path: String
    let size: Int
    private let descriptor: Int32

    init(_ path: String) throws(WeightsError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .file(FileError(path: path, reason: String(cString: strerror(errno)))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .file(FileError(path: path, reason: reason))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .file(FileError(path: path, reason: "not a regular file"))
        }
        self.path = path
        self.size = Int(status.st_size)
        self.descriptor = descriptor
    }

    /// `count` bytes from `offset`, which the caller has checked lie in the file.
    func readBytes(_ count: Int, at offset: Int) throws(WeightsError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        if let failure = bytes.withUnsafeMutableBytes({ fill($0, from: offset) }) { throw failure }
        return bytes
    }

    /// Fills the tensor's storage with the bytes at `offset`, which the caller has checked
    /// lie in the file.
    func read(into tensor: inout Tensor, at offset: Int) throws(WeightsError) {
        if let failure = tensor.withUnsafeMutableBytes({ fill($0, from: offset) }) { throw failure }
    }

    /// Returns its error rather than throwing it, for use inside the buffer closures above.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer, from offset: Int) -> WeightsError? {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                return .file(FileError(path: path, reason: String(cString: strerror(errno))))
            }
            guard count > 0 else { return .file(FileError(path: path, reason: "the file shrank while it was read")) }
            done += count
        }
        return nil
    }

    deinit { close(descriptor) }
}
