import Foundation
import ZooIO

/// libhdf5 creates files by path, so ZooIO's `AtomicFile` (which hands out a descriptor)
/// does not fit; this is its pattern for a writer that needs a path: write a temporary file
/// in the same directory, flush it to disk, rename it over the target. A failure at any
/// point removes the temporary file and leaves an existing target untouched.
enum AtomicReplacement {
    static func replace(_ path: String, by produce: (_ temporaryPath: String) throws(WeightsError) -> Void) throws(WeightsError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).XXXXXX.tmp".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard descriptor >= 0 else {
            throw failure(path, "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var committed = false
        defer { if !committed { unlink(temporaryPath) } }

        try produce(temporaryPath)
        let written = open(temporaryPath, O_RDONLY)
        guard written >= 0 else { throw failure(path, String(cString: strerror(errno))) }
        let synced = fsync(written) == 0
        let syncError = errno
        close(written)
        guard synced else { throw failure(path, String(cString: strerror(syncError))) }
        // mkstemp creates files readable only by the owner; give the result ordinary permissions.
        let mask = umask(0)
        umask(mask)
        chmod(temporaryPath, 0o666 & ~mask)
        guard rename(temporaryPath, path) == 0 else {
            throw failure(path, "cannot replace the file: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    private static func failure(_ path: String, _ reason: String) -> WeightsError {
        .file(FileError(path: path, reason: reason))
    }
}
