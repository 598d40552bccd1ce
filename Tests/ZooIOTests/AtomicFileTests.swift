import Foundation
import Testing
import ZooIO

@Suite struct AtomicFileTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "zoo-io-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
    }

    @Test func writesAndReplaces() throws {
        let path = directory + "/model.onnx"
        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write([4, 5], to: path)
        #expect(try FileReader.readAll(path, limit: 10) == [4, 5])
        #expect(try leftovers().isEmpty)
    }

    @Test func aFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws {
        let path = directory + "/weights.h5"
        try AtomicFile.write([7, 7, 7], to: path)
        #expect(throws: FileError(path: path, reason: "interrupted")) {
            try AtomicFile.write(to: path) { (descriptor: Int32) throws(FileError) in
                _ = Foundation.write(descriptor, "partial", 7)
                throw FileError(path: path, reason: "interrupted")
            }
        }
        #expect(try FileReader.readAll(path, limit: 10) == [7, 7, 7])
        #expect(try leftovers().isEmpty)
    }

    @Test func refusesFilesOverTheLimitAndNamesThePath() throws {
        let path = directory + "/big.bin"
        try AtomicFile.write([UInt8](repeating: 0, count: 100), to: path)
        #expect(throws: FileError(path: path, reason: "the file is 100 bytes, more than the 99 bytes allowed")) {
            try FileReader.readAll(path, limit: 99)
        }
        #expect(throws: FileError.self) { try FileReader.readAll(directory + "/missing.onnx", limit: 99) }
        #expect(throws: FileError(path: directory, reason: "not a regular file")) { try FileReader.readAll(directory, limit: 99) }
    }

    @Test func reportsAnUnwritableDirectory() {
        #expect(throws: FileError.self) { try AtomicFile.write([1], to: "/nonexistent-dir/x.onnx") }
    }
}
