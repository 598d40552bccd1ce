// One measured kernel and how it is printed: a Markdown row for people and a
// tab-separated RESULT line for Benchmarks/kernels.sh.

/// Zen 5 FMA ceiling per core for f32: 2 x 512-bit FMA pipes x 16 lanes x 2 flop x ~4.1 GHz.
let fmaPeakGflopsPerCore = 262.0

struct BenchResult {
    let kernel: String
    let shape: String
    /// Nominal floating-point operations of one call (conv: padding taps included).
    let flops: Double
    let timing: Timing
    let threads: Int
    let impl: String
    let layout: String
    /// nil when the spot check passed.
    let failure: String?
    let maxError: Double

    var gflops: Double { flops / timing.median / 1e9 }
    var percentOfPeak: Double { 100 * gflops / (fmaPeakGflopsPerCore * Double(threads)) }

    static let markdownHeader = """
        | kernel | shape | threads | median ms | best ms | GFLOP/s | % FMA peak | implementation | layouts | check |
        |---|---|--:|--:|--:|--:|--:|---|---|---|
        """

    var markdownRow: String {
        let check = failure.map { "FAIL: \($0)" } ?? "ok (max rel err \(fmt(maxError, sci: true)))"
        return "| \(kernel) | \(shape) | \(threads) | \(fmt(timing.median * 1e3, 3)) | "
            + "\(fmt(timing.best * 1e3, 3)) | \(fmt(gflops, 1)) | \(fmt(percentOfPeak, 1)) | "
            + "\(impl) | \(layout) | \(check) |"
    }

    var machineLine: String {
        ["RESULT", kernel, shape, String(threads), fmt(timing.median * 1e3, 4), fmt(timing.best * 1e3, 4),
         fmt(gflops, 2), fmt(percentOfPeak, 2), impl, layout, failure == nil ? "ok" : "FAIL"]
            .joined(separator: "\t")
    }
}

/// Fixed-point (or scientific) formatting without Foundation.
func fmt(_ x: Double, _ decimals: Int = 2, sci: Bool = false) -> String {
    guard x.isFinite else { return String(x) }
    if sci {
        if x == 0 { return "0" }
        var e = 0
        var m = abs(x)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return (x < 0 ? "-" : "") + fmt(m, 1) + "e" + String(e)
    }
    var p = 1.0
    for _ in 0..<decimals { p *= 10 }
    let scaled = (abs(x) * p).rounded()
    let whole = Int(scaled / p)
    let frac = Int(scaled - Double(whole) * p)
    var fracStr = String(frac)
    while fracStr.count < decimals { fracStr = "0" + fracStr }
    return (x < 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + fracStr : "")
}
