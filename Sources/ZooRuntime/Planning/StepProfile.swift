import Foundation

/// Accumulated step times per kernel type, printed at exit; enabled by ZOO_PROFILE=1.
final class StepProfile: @unchecked Sendable {
    private let lock = NSLock()
    private var totals: [String: (nanoseconds: UInt64, calls: Int)] = [:]

    init() {
        atexit { ExecutionPlan.profile?.report() }
    }

    func record(_ node: String, kernel: String, nanoseconds: UInt64) {
        lock.withLock {
            let previous = totals[kernel] ?? (0, 0)
            totals[kernel] = (previous.nanoseconds + nanoseconds, previous.calls + 1)
        }
    }

    func report() {
        let lines = lock.withLock { totals.sorted { $0.value.nanoseconds > $1.value.nanoseconds } }
        for (kernel, total) in lines {
            FileHandle.standardError.write(Data(String(format: "%-22@ %10.1f ms %8d calls\n", kernel, Double(total.nanoseconds) / 1e6, total.calls).utf8))
        }
    }
}
