import Foundation

/// Resident memory of this process from /proc/self/status (Linux).
enum MemoryUsage {
    /// Current resident set, bytes.
    static var resident: Int { field("VmRSS") }
    /// Peak resident set since start or since the last `resetPeak()`, bytes.
    static var peakResident: Int { field("VmHWM") }
    /// The part of the resident set that maps files: shared libraries' code and read-only
    /// data, paged in on first use and shared with every process that maps them.
    static var fileBacked: Int { field("RssFile") }

    /// Restarts the peak at the current resident size (writing 5 to clear_refs), so a peak
    /// measures one phase of the run rather than, say, the ONNX export before it.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
