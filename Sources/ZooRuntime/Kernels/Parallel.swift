import CDNNL

/// Splits our own kernels' work over the session's threads on the OpenMP team that oneDNN
/// uses, or runs it inline when it is too small for the hand-off to pay.
///
/// Why OpenMP and not Dispatch: libgomp's workers spin for a while after every oneDNN
/// region (its default wait policy, read once at library load). Threads of another pool
/// started right after a convolution or GEMM would compete with those spinning workers for
/// the same cores; handing the work to the spinning workers themselves costs nothing.
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
            var job = Job(count: count, chunkCount: chunkCount, body: body)
            withUnsafeMutablePointer(to: &job) { pointer in
                GOMP_parallel({ Job.runShare(of: $0) }, pointer, UInt32(chunkCount), 0)
            }
        }
    }

    /// What each team member reads: the range to split and the work.
    private struct Job {
        let count: Int
        let chunkCount: Int
        let body: (Range<Int>) -> Void

        /// Runs the chunks of the calling team member. The team can be smaller than asked
        /// for (a nested region gets one thread), so members take chunks round-robin.
        static func runShare(of pointer: UnsafeMutableRawPointer?) {
            let job = pointer!.assumingMemoryBound(to: Job.self).pointee
            let member = Int(omp_get_thread_num()), teamSize = Int(omp_get_num_threads())
            for chunk in stride(from: member, to: job.chunkCount, by: max(teamSize, 1)) {
                job.body(job.count * chunk / job.chunkCount..<job.count * (chunk + 1) / job.chunkCount)
            }
        }
    }
}

/// Carries a non-Sendable value into parallel work whose chunks touch disjoint memory.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
