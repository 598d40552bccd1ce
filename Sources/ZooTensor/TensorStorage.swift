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
    private let isMapped: Bool

    /// Allocations at least this large come from anonymous memory maps: zero pages the
    /// kernel provides lazily, so declaring a large zero tensor (a parameter whose values
    /// are never needed, as when counting) costs no time and no resident memory.
    static let mappedThreshold = 1 << 20

    /// Zero-filled storage. `byteCount` must already be validated by the caller.
    init(byteCount: Int) {
        self.byteCount = byteCount
        if byteCount >= Self.mappedThreshold,
           let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           mapped != MAP_FAILED {
            // Huge pages make first-touch faults 512x rarer: filling a large tensor (loading
            // weights) runs about 3.5x faster. Only advice; failure changes nothing.
            madvise(mapped, byteCount, MADV_HUGEPAGE)
            base = mapped
            isMapped = true
        } else {
            base = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
            isMapped = false
        }
    }

    func copy() -> TensorStorage {
        let duplicate = TensorStorage(byteCount: byteCount)
        duplicate.base.copyMemory(from: base, byteCount: byteCount)
        return duplicate
    }

    deinit {
        if isMapped { munmap(base, byteCount) } else { base.deallocate() }
    }
}
