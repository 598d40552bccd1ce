import ArgumentParser
import ModelZoo

/// The command-line values of a model's symbolic input dimensions: `--dim NAME=VALUE` for
/// any symbol, `--batch` and `--seq-len` for the zoo's `batch` and `seq`.
struct DimensionOptions: ParsableArguments {
    /// How the commands size symbolic dimensions, for their help.
    static let rules = """
        Symbolic input dimensions take their sizes from the inputs given as files (run's \
        --input), then from --dim, --batch and --seq-len, then from defaults (the zoo \
        model's input shape; batch 1 and seq 128 for files). A symbol without a size, a size \
        for a symbol the inputs lack, or two different sizes for one symbol is an error.
        """

    @Option(name: .long, help: "Batch size: shorthand for --dim batch=N (default: 1).")
    var batch: Int?

    @Option(name: .long, help: "Sequence length: shorthand for --dim seq=N (default: the zoo model's, else 128).")
    var seqLen: Int?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("The size of a symbolic input dimension, e.g. N=4 or sequence=64 (repeatable).",
                               valueName: "name=value"))
    var dim: [DimensionValue] = []

    func validate() throws {
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1, got \(batch)") }
        if let seqLen, seqLen < 1 { throw ValidationError("--seq-len must be at least 1, got \(seqLen)") }
        _ = try given()
    }

    /// The values given, by symbol, each with the option that gave it (for messages). The
    /// same symbol given twice with different values is an error naming both options.
    func given() throws -> [String: SymbolBinding.Source] {
        var values: [String: SymbolBinding.Source] = [:]
        var all = dim.map { (symbol: $0.name, source: SymbolBinding.Source(value: $0.value, origin: "--dim \($0.name)=\($0.value)")) }
        if let batch { all.append((CountOptions.batchSymbol, SymbolBinding.Source(value: batch, origin: "--batch \(batch)"))) }
        if let seqLen { all.append((CountOptions.sequenceSymbol, SymbolBinding.Source(value: seqLen, origin: "--seq-len \(seqLen)"))) }
        for (symbol, source) in all {
            if let earlier = values[symbol], earlier.value != source.value {
                throw ValidationError("\(earlier.origin) and \(source.origin) give '\(symbol)' different sizes")
            }
            values[symbol] = source
        }
        return values
    }
}

/// `NAME=VALUE` with a positive size.
struct DimensionValue: ExpressibleByArgument {
    let name: String
    let value: Int

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let value = Int(parts[1]), value >= 1 else { return nil }
        name = String(parts[0])
        self.value = value
    }
}
