import Dispatch
import ZooTensor

/// Wall-clock latency of repeated runs of one session on one set of inputs, after warm-up
/// runs (the first compiles the plan for these shapes). For benchmarks, never for tests.
public struct LatencyMeasurement: Sendable {
    /// Milliseconds per timed run, in the order they ran.
    public let samples: [Double]

    public init(session: Session, inputs: [String: Tensor], warmUpRuns: Int = 3, runs: Int) throws(RuntimeError) {
        var outputs: [String: Tensor] = [:]
        for _ in 0..<warmUpRuns { try session.run(inputs, into: &outputs) }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try session.run(inputs, into: &outputs)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        self.samples = samples
    }
}

/// Nearest-rank quantiles of latency samples.
public struct Quantiles: Sendable {
    private let sorted: [Double]

    public init(_ samples: [Double]) { sorted = samples.sorted() }

    /// The `fraction` quantile (0.5 = median); NaN without samples.
    public func quantile(_ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    public var median: Double { quantile(0.5) }
    public var p90: Double { quantile(0.9) }
}
