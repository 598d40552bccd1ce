import Foundation

/// Memory the process may use, and the one allocation path for buffers whose size comes
/// from input: it fails with an error carrying the size instead of trapping (as
/// `UnsafeMutableRawPointer.allocate` does when malloc refuses).
public enum MachineMemory {
    public static var physicalByteCount: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// What can be allocated now without swapping: MemAvailable from /proc/meminfo, or the
    /// physical memory where the kernel does not report it.
    public static func availableByteCount() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            return physicalByteCount
        }
        return kibibytes.multipliedReportingOverflow(by: 1024).overflow ? Int.max : kibibytes * 1024
    }

    /// `bytes` for people, in gibibytes with one decimal ("116.0 GiB"), or bytes below one.
    public static func describe(_ bytes: Int) -> String {
        bytes < 1 << 30 ? "\(bytes) bytes" : String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
    }

    /// `byteCount` bytes aligned to `alignment` (a power of two at least the pointer size),
    /// uninitialised; release with `free`.
    public static func allocate(byteCount: Int, alignment: Int) throws(AllocationFailure) -> UnsafeMutableRawPointer {
        var address: UnsafeMutableRawPointer?
        guard byteCount >= 0, posix_memalign(&address, alignment, max(byteCount, 1)) == 0, let address else {
            throw AllocationFailure(byteCount: byteCount)
        }
        return address
    }
}

/// The system refused an allocation of `byteCount` bytes.
public struct AllocationFailure: Error, Equatable, CustomStringConvertible {
    public let byteCount: Int

    public var description: String { "could not allocate \(MachineMemory.describe(byteCount)) (\(byteCount) bytes)" }
}
