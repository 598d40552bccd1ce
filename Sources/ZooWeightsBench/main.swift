// ZooWeightsBench: how fast WeightsFile loads VGG-16-sized weights (138,357,544 float32
// parameters, 528 MiB) compared with reading the same file with a plain read() loop.
// Benchmarks/weights.sh runs each subcommand in its own process, so that each reports its
// own peak resident memory.
//
//   ZooWeightsBench write FILE [--compress]    random VGG-16 weights, seeded
//   ZooWeightsBench read FILE [--runs N]       read() loop into one fresh buffer per run
//   ZooWeightsBench load FILE [--runs N] [--no-verify]
//
// Each timed command prints one tab-separated line:
//   RESULT <what> <median seconds> <best seconds> <MB/s at the median> <peak RSS MiB> <file MiB>
import Foundation
import ZooGraph
import ZooTensor
import ZooWeights

/// torchvision's VGG-16 (configuration "D"): channel counts, "M" for max-pooling. Naming
/// follows its `features.N` / `classifier.N` indices.
func vgg16Parameters(seed: UInt64) throws -> [Graph.Initializer] {
    let configuration: [Int?] = [64, 64, nil, 128, 128, nil, 256, 256, 256, nil, 512, 512, 512, nil, 512, 512, 512, nil]
    var shapes: [(String, [Int])] = []
    var index = 0
    var inputChannels = 3
    for channels in configuration {
        guard let channels else { index += 1; continue }  // a pooling layer has no parameters
        shapes += [("features.\(index).weight", [channels, inputChannels, 3, 3]), ("features.\(index).bias", [channels])]
        inputChannels = channels
        index += 2  // convolution, then ReLU
    }
    for (layer, (inputs, outputs)) in [(0, (25088, 4096)), (3, (4096, 4096)), (6, (4096, 1000))] {
        shapes += [("classifier.\(layer).weight", [outputs, inputs]), ("classifier.\(layer).bias", [outputs])]
    }
    return try shapes.enumerated().map { offset, entry in
        Graph.Initializer(name: entry.0, tensor: try .random(shape: entry.1, distribution: .normal(mean: 0, standardDeviation: 0.01),
                                                            seed: seed + UInt64(offset)))
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
}

/// Times `body` `runs` times and prints the RESULT line.
func measure(_ what: String, file: String, runs: Int, _ body: () throws -> Void) throws {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        times.append(seconds(ContinuousClock.now - start))
    }
    times.sort()
    let median = times[times.count / 2]
    let bytes = Double(try fileSize(file))
    print(String(format: "RESULT\t%@\t%.4f\t%.4f\t%.0f\t%.0f\t%.1f", what, median, times[0], bytes / median / 1e6,
                 peakResidentMiB(), bytes / 1_048_576))
}

/// A plain read() loop into one fresh buffer of the file's size, allocated the way tensor
/// storage is (an anonymous mapping), so both sides pay the same page faults.
func readWholeFile(_ path: String) throws {
    let size = try fileSize(path)
    var buffer = try Tensor(zeros: [size], dtype: .uint8)
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
    defer { close(descriptor) }
    let complete = buffer.withUnsafeMutableBytes { bytes in
        var offset = 0
        while offset < size {
            let count = read(descriptor, bytes.baseAddress! + offset, min(size - offset, 1 << 30))
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
    guard complete else { throw CocoaError(.fileReadUnknown) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    print("usage: ZooWeightsBench write|read|load FILE [--runs N] [--compress] [--no-verify]")
    exit(2)
}
let (command, path) = (arguments[0], arguments[1])
let runs = arguments.firstIndex(of: "--runs").flatMap { Int(arguments[$0 + 1]) } ?? 5
switch command {
case "write":
    let parameters = try vgg16Parameters(seed: 16)
    let options = WeightsSaveOptions(compress: arguments.contains("--compress"))
    try measure(options.compress ? "save (gzip 4)" : "save", file: path, runs: 1) {
        try WeightsFile.save(parameters, metadata: WeightsMetadata(architecture: "vgg16"), to: path, options: options)
    }
case "read":
    try measure("read() loop", file: path, runs: runs) { try readWholeFile(path) }
case "load":
    let verify = !arguments.contains("--no-verify")
    try measure(verify ? "WeightsFile.load" : "WeightsFile.load, no SHA-256", file: path, runs: runs) {
        _ = try WeightsFile.load(path, options: WeightsLoadOptions(verifyChecksums: verify))
    }
default:
    print("unknown command \(command)")
    exit(2)
}
