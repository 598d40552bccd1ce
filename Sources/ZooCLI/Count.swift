import ArgumentParser
import ModelZoo

/// `zoo count`: parameters, MACs, FLOPs and activation memory per layer.
struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count parameters, MACs, FLOPs and activation memory, per layer or per block.",
        discussion: "Conventions: \(ComplexityReport.conventions)")

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, help: "Roll nodes up into blocks by the first N components of their names.")
    var depth: Int?

    @Option(name: .long, help: "Batch size (default: 1). Ignored with --symbolic.")
    var batch: Int?

    @Option(name: .long, help: "Sequence length for sequence models (default: the model's, e.g. 128).")
    var seqLen: Int?

    @Flag(name: .long, help: "Keep batch and sequence length symbolic: counts become polynomials in them.")
    var symbolic = false

    @Flag(name: .long, help: "List ops without a counting rule instead of stopping at the first.")
    var allowUncounted = false

    @Option(name: .long, help: "table, markdown, json or csv.")
    var format: ReportFormat = .table

    func validate() throws {
        if let depth, depth < 1 { throw ValidationError("--depth must be at least 1, got \(depth)") }
        if let batch, batch < 1 { throw ValidationError("--batch must be at least 1, got \(batch)") }
        if let seqLen, seqLen < 1 { throw ValidationError("--seq-len must be at least 1, got \(seqLen)") }
        if symbolic && (batch != nil || seqLen != nil) {
            throw ValidationError("--symbolic keeps batch and sequence length open; drop --batch/--seq-len")
        }
    }

    func run() throws {
        let graph = try selection.graph()
        var options = CountOptions(depth: depth, allowUncounted: allowUncounted)
        if !symbolic { options.symbolValues = try selection.symbolValues(for: graph, batch: batch, sequenceLength: seqLen) }
        print(try ComplexityReport(counting: graph, options: options).formatted(as: format))
    }
}

extension ReportFormat: ExpressibleByArgument {}
