// Wall-clock timing: warm-up, then `runs` samples; short kernels are repeated inside a
// sample so that one sample lasts at least `minSample` seconds.
import Glibc

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct Timing {
    /// Seconds per kernel call, one entry per sample, sorted.
    let samples: [Double]
    let repsPerSample: Int
    var median: Double {
        let n = samples.count
        return n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2])
    }
    var best: Double { samples[0] }
}

func measure(warmup: Int, runs: Int, minSample: Double = 0.05,
             _ body: () throws -> Void) throws -> Timing {
    var last = 0.0
    for _ in 0..<max(1, warmup) {
        let t0 = monotonicSeconds()
        try body()
        last = monotonicSeconds() - t0
    }
    let reps = max(1, Int((minSample / max(last, 1e-9)).rounded(.up)))
    var samples: [Double] = []
    for _ in 0..<max(1, runs) {
        let t0 = monotonicSeconds()
        for _ in 0..<reps { try body() }
        samples.append((monotonicSeconds() - t0) / Double(reps))
    }
    return Timing(samples: samples.sorted(), repsPerSample: reps)
}
