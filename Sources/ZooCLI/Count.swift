import ArgumentParser
import ModelZoo

/// `zoo count`: parameters, MACs, FLOPs and activation memory per layer.
struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count parameters, MACs, FLOPs and activation memory, per layer or per block.",
        discussion: """
            Conventions: \(ComplexityReport.conventions).

            \(DimensionOptions.rules) With --symbolic, symbols without a size from the \
            command line stay symbolic instead.
            """)

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, help: "Roll nodes up into blocks by the first N components of their names.")
    var depth: Int?

    @OptionGroup var dimensions: DimensionOptions

    @Option(name: .long, parsing: .singleValue,
            help: "Replace an input's shape, e.g. image=1x3x299x299 or input_ids=batchx64 (repeatable).")
    var inputShape: [InputShape] = []

    @Flag(name: .long, help: """
        Leave every symbol without a size from --dim, --batch or --seq-len symbolic: counts \
        become polynomials in them (e.g. in batch and seq).
        """)
    var symbolic = false

    @Option(name: .long, help: "table, markdown, json or csv.")
    var format: ReportFormat = .table

    func validate() throws {
        if let depth, depth < 1 { throw ValidationError("--depth must be at least 1, got \(depth)") }
    }

    func run() throws {
        var graph = try selection.graph()
        for shape in inputShape {
            guard let index = graph.inputs.firstIndex(where: { $0.name == shape.name }) else {
                throw CommandError("--input-shape names '\(shape.name)', but the inputs are \(graph.inputs.map(\.name).joined(separator: ", "))")
            }
            graph.inputs[index].type.dims = shape.dims
        }
        let symbols = try selection.symbolValues(for: graph, given: try dimensions.given(), unsized: symbolic ? .keep : .defaultOrFail)
        let options = CountOptions(symbolValues: symbols, depth: depth)
        print(try ComplexityReport(counting: graph, options: options).formatted(as: format))
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// `NAME=D1xD2x...`, each dimension a size or a symbol name.
struct InputShape: ExpressibleByArgument {
    let name: String
    let dims: [Dim]

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        var dims: [Dim] = []
        for part in parts[1].split(separator: "x", omittingEmptySubsequences: false) {
            if let size = Int(part) {
                guard size >= 0 else { return nil }
                dims.append(.fixed(size))
            } else {
                guard !part.isEmpty, part.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
                dims.append(.symbolic(String(part)))
            }
        }
        name = String(parts[0])
        self.dims = dims
    }
}
