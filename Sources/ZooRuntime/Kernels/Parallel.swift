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

    /// Runs `body` once on each member of a team of up to `threads` threads that stays
    /// together for the whole call: a loop of short dependent steps (an LSTM's time steps)
    /// pays one fork and then one `TeamMember.barrier()` per step, instead of a fork and a
    /// join per step.
    static func team(threads: Int, _ body: (TeamMember) -> Void) {
        guard threads > 1 else { return body(TeamMember(index: 0, count: 1)) }
        withoutActuallyEscaping(body) { body in
            var work = body
            withUnsafeMutablePointer(to: &work) { pointer in
                GOMP_parallel({ raw in
                    let member = TeamMember(index: Int(omp_get_thread_num()), count: max(Int(omp_get_num_threads()), 1))
                    raw!.assumingMemoryBound(to: ((TeamMember) -> Void).self).pointee(member)
                }, pointer, UInt32(threads), 0)
            }
        }
    }

    /// One thread of a `team`: its position, the team's actual size (a nested region gets
    /// one thread, whatever was asked for) and the barrier all members meet at.
    struct TeamMember {
        let index: Int
        let count: Int

        /// This member's share of `0..<total`, in multiples of `granule` where possible.
        func share(of total: Int, granule: Int = 1) -> Range<Int> {
            let units = (total + granule - 1) / granule
            let lower = min(total, units * index / count * granule)
            let upper = min(total, units * (index + 1) / count * granule)
            return lower..<upper
        }

        /// Waits until every member of the team has arrived.
        func barrier() {
            if count > 1 { GOMP_barrier() }
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
