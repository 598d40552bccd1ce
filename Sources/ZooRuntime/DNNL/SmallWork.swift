import CDNNL
import ZooTensor

/// oneDNN primitives too small to split over threads. oneDNN sizes a primitive's work split
/// from the OpenMP thread count when the primitive descriptor is created, and forks that
/// many threads at every execution; for a few hundred thousand multiply-adds the fork and
/// the closing barrier cost more than the second thread saves. Such primitives are created
/// and executed with one thread.
enum SmallWork {
    /// Multiply-adds (or elements moved, for reorders and pools) below which a primitive runs
    /// on one thread. Measured on LeNet-5 at 2 threads, batch 1 and 8, whose primitives
    /// span 0.1k–1M multiply-adds: see Benchmarks/README.md (executor section).
    static let singleThreadLimit = 1 << 18

    /// Whether the product of `factors` (sizes whose product may exceed 64 bits, as a
    /// window of 2^31 × 2^31 over a plane) is below the limit.
    static func isSmall(_ factors: [Int]) -> Bool {
        guard let work = try? CheckedArithmetic.product(factors) else { return false }
        return work < singleThreadLimit
    }

    /// Runs `body` with OpenMP limited to one thread when `singleThreaded`, then restores the
    /// caller's count.
    static func run<Result, Failure: Error>(singleThreaded: Bool, _ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        guard singleThreaded else { return try body() }
        let previous = omp_get_max_threads()
        omp_set_num_threads(1)
        defer { omp_set_num_threads(previous) }
        return try body()
    }
}
