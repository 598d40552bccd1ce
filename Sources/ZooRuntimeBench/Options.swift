import Foundation

/// Command-line options of the executor benchmark.
struct Options {
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var batch = 1
    /// Timed runs per side, split evenly over `rounds`.
    var runs = 20
    /// Blocks of our runs alternating with blocks of onnxruntime runs, so both sides see the
    /// same machine load even when other work comes and goes.
    var rounds = 4
    /// Sequence length for models with a `seq` input; nil takes the model's standard one.
    var sequenceLength: Int?
    var models: [String] = []

    init(_ arguments: [String]) {
        var remaining = arguments.makeIterator()
        while let argument = remaining.next() {
            switch argument {
            case "--threads": threads = remaining.next().flatMap(Int.init) ?? threads
            case "--batch": batch = remaining.next().flatMap(Int.init) ?? batch
            case "--runs": runs = remaining.next().flatMap(Int.init) ?? runs
            case "--rounds": rounds = remaining.next().flatMap(Int.init) ?? rounds
            case "--seq": sequenceLength = remaining.next().flatMap(Int.init)
            default: models.append(argument)
            }
        }
        rounds = max(1, min(rounds, runs))
    }

    /// The benchmark's sequence lengths: LSTM LM 35 (Zaremba et al.'s unrolling), ELMo 64,
    /// BERT 128.
    func sequenceLength(for model: String) -> Int {
        if let sequenceLength { return sequenceLength }
        switch model {
        case "lstm-lm": return 35
        case "elmo": return 64
        default: return 128
        }
    }
}
