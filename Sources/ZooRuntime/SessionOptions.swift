import Foundation

/// How a Session compiles and runs.
public struct SessionOptions: Sendable, Hashable {
    /// Threads for oneDNN (OpenMP) and for our own kernels. They never run at the same
    /// time, so the machine is not oversubscribed by one run.
    public var threads: Int
    /// Graph rewrites, in order (see `GraphPass.defaultPipeline` for why this order).
    public var passes: [GraphPass]

    /// The most threads a session takes: OpenMP counts them in 32 bits, and far below that a
    /// machine only pays for threads it cannot run.
    public static let maximumThreads = 4096

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                passes: [GraphPass] = GraphPass.defaultPipeline) {
        self.threads = max(1, threads)
        self.passes = passes
    }
}
