import Foundation

/// The bytes behind a tensor: one 64-byte-aligned allocation (a cache line, and the
/// alignment AVX-512 loads want), freed when the last tensor sharing it goes away.
public final class TensorStorage: @unchecked Sendable {
    /// Alignment of every tensor allocation, in bytes.
    public static let alignment = 64

    /// The largest single allocation we accept: the machine's physical memory. A shape read
    /// from a file that asks for more is an error, not an allocation the kernel kills us for.
    public static let maximumByteCount = Int(clamping: ProcessInfo.processInfo.physicalMemory)

    public let byteCount: Int
    let base: UnsafeMutableRawPointer

    /// Zero-filled storage. `byteCount` must already be validated by the caller.
    init(byteCount: Int) {
        self.byteCount = byteCount
        base = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }

    func copy() -> TensorStorage {
        let duplicate = TensorStorage(byteCount: byteCount)
        duplicate.base.copyMemory(from: base, byteCount: byteCount)
        return duplicate
    }

    deinit { base.deallocate() }
}
