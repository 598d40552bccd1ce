// zoo-kernel-bench: oneDNN f32 GEMM and 3x3-conv throughput on this machine, the
// yardstick for the executor's large layers. Usage:
//   zoo-kernel-bench [--threads N] [--runs R] [--warmup W] [--sizes 2048,4096]
import CDNNL
import Glibc

struct Options {
    var threads = 1, runs = 10, warmup = 2
    var sizes = [2048, 4096]

    static func parse(_ arguments: [String]) -> Options? {
        var o = Options()
        var argv = arguments[...]
        while let flag = argv.popFirst() {
            guard let value = argv.popFirst() else { return nil }
            switch flag {
            case "--threads": o.threads = Int(value) ?? 0
            case "--runs": o.runs = Int(value) ?? 0
            case "--warmup": o.warmup = Int(value) ?? -1
            case "--sizes": o.sizes = value.split(separator: ",").compactMap { Int($0) }
            default: return nil
            }
        }
        let valid = o.threads >= 1 && o.runs >= 1 && o.warmup >= 0
            && !o.sizes.isEmpty && o.sizes.allSatisfy { $0 > 0 }
        return valid ? o : nil
    }
}

/// Runs every benchmark, printing rows as they finish; returns the error messages.
func runAll(_ o: Options) -> [String] {
    // libdnnl uses the OpenMP runtime; set the team size before the first oneDNN call.
    omp_set_num_threads(Int32(o.threads))

    let version = dnnl_version().pointee
    print("# oneDNN \(version.major).\(version.minor).\(version.patch), "
        + "cpu runtime \(String(cString: dnnl_runtime2str(version.cpu_runtime))), "
        + "ISA \(String(cString: dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa()))), "
        + "omp_get_max_threads() = \(omp_get_max_threads())")
    print("# median of \(o.runs) samples after \(o.warmup) warm-up call(s); "
        + "FMA peak = \(Int(fmaPeakGflopsPerCore)) GFLOP/s x \(o.threads) thread(s)")
    print()
    print(BenchResult.markdownHeader)

    var results: [BenchResult] = []
    var errors: [String] = []
    func record(_ what: String, _ body: () throws -> BenchResult) {
        do {
            let r = try body()
            results.append(r)
            print(r.markdownRow)
            if let f = r.failure { errors.append("\(what): wrong result: \(f)") }
        } catch {
            errors.append("\(what): \(error)")
            print("| \(what) | error: \(error) |")
        }
    }

    do {
        let engine = try Engine()
        let stream = try Stream(engine)
        let (t, w, r) = (o.threads, o.warmup, o.runs)
        for size in o.sizes {
            let ops = GemmOperands(size: size)
            record("sgemm \(size)") { try benchSgemm(ops, threads: t, warmup: w, runs: r) }
            record("matmul \(size)") {
                try benchMatmul(ops, packedWeights: false, engine: engine, stream: stream,
                                threads: t, warmup: w, runs: r)
            }
            record("matmul (B any) \(size)") {
                try benchMatmul(ops, packedWeights: true, engine: engine, stream: stream,
                                threads: t, warmup: w, runs: r)
            }
        }
        for shape in [ConvShape(channels: 64, filters: 64, height: 56, width: 56),
                      ConvShape(channels: 256, filters: 256, height: 14, width: 14)] {
            record("conv \(shape.shape)") {
                try benchConv(shape, engine: engine, stream: stream, threads: t, warmup: w, runs: r)
            }
        }
    } catch {
        errors.append("setup: \(error)")
    }

    print()
    for r in results { print(r.machineLine) }
    return errors
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    print("usage: zoo-kernel-bench [--threads N] [--runs R] [--warmup W] [--sizes S1,S2,...]")
    exit(2)
}
let errors = runAll(options)
for e in errors {
    // Glibc's `stderr` is a mutable global that Swift 6 rejects; write to fd 2 directly.
    var line = "error: \(e)\n"
    _ = line.withUTF8 { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
exit(errors.isEmpty ? 0 : 1)
