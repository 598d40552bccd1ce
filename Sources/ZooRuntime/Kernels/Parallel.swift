import Dispatch

/// Splits work over the session's threads with `DispatchQueue.concurrentPerform`, or runs
/// it inline when it is too small for the hand-off to pay (a few microseconds per chunk).
enum Parallel {
    /// Calls `body` on disjoint subranges covering `0..<count`; `minimumChunk` is the
    /// smallest piece of work worth a thread.
    static func forRanges(_ count: Int, threads: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunkCount = min(threads, count / max(minimumChunk, 1))
        guard chunkCount > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let start = count * chunk / chunkCount
                let end = count * (chunk + 1) / chunkCount
                shared.value(start..<end)
            }
        }
    }
}

/// Carries a non-Sendable value into `concurrentPerform`, whose chunks touch disjoint memory.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
