import ZooGraph

/// How to count a graph: the input shapes and symbol values to count for, how to roll up,
/// and what to do with ops that have no rule.
public struct CountOptions: Sendable {
    /// Replacement dimensions for graph inputs, by input name (`["input": [1, 3, 299, 299]]`).
    public var inputShapes: [String: [Dim]]
    /// Values for the symbols in input dimensions (`["batch": 1, "seq": 128]`). Symbols left
    /// without a value stay symbolic, and counts become polynomials in them.
    public var symbolValues: [String: Int]
    /// When set, node counts are also rolled up into blocks by the first `depth` components
    /// of their dot-separated names (1: `layer1`, 2: `layer1.0`); at least 1.
    public var depth: Int?
    /// When true, a node whose op has no rule is listed as uncounted instead of stopping
    /// the count with `CountError.uncountedOp`.
    public var allowUncounted: Bool
    /// What each op costs; `.standard` has a rule for every op of the IR.
    public var rules: CostRules

    public init(inputShapes: [String: [Dim]] = [:], symbolValues: [String: Int] = [:], depth: Int? = nil,
                allowUncounted: Bool = false, rules: CostRules = .standard) {
        self.inputShapes = inputShapes
        self.symbolValues = symbolValues
        self.depth = depth
        self.allowUncounted = allowUncounted
        self.rules = rules
    }

    /// The symbol the zoo's models use for the batch size.
    public static let batchSymbol = "batch"
    /// The symbol the zoo's models use for the sequence length.
    public static let sequenceSymbol = "seq"

    /// The value of the batch symbol.
    public var batchSize: Int? {
        get { symbolValues[Self.batchSymbol] }
        set { symbolValues[Self.batchSymbol] = newValue }
    }

    /// The value of the sequence-length symbol.
    public var sequenceLength: Int? {
        get { symbolValues[Self.sequenceSymbol] }
        set { symbolValues[Self.sequenceSymbol] = newValue }
    }
}

extension Graph {
    /// This graph with the options' input shapes and symbol values applied to its inputs,
    /// so that shape inference computes every size it can.
    func specialised(for options: CountOptions) throws(CountError) -> Graph {
        var graph = self
        for (name, dims) in options.inputShapes.sorted(by: { $0.key < $1.key }) {
            guard let index = graph.inputs.firstIndex(where: { $0.name == name }) else {
                throw .unknownInput(name, available: graph.inputs.map(\.name))
            }
            graph.inputs[index].type.dims = dims
        }
        let symbols = Set(graph.inputs.flatMap { $0.type.dims.flatMap(\.symbols) })
        for (symbol, value) in options.symbolValues.sorted(by: { $0.key < $1.key }) {
            guard symbols.contains(symbol) else { throw .unknownSymbol(symbol, available: symbols.sorted()) }
            guard value >= 0 else { throw .negativeSymbolValue(symbol, value) }
        }
        for index in graph.inputs.indices {
            graph.inputs[index].type.dims = try graph.inputs[index].type.dims.map { (dim: Dim) throws(CountError) -> Dim in
                guard let bound = dim.substituting(options.symbolValues) else {
                    throw .overflow(context: "input '\(graph.inputs[index].name)'")
                }
                return bound
            }
        }
        return graph
    }
}

extension Dim {
    /// The symbols of the dimension (`2*batch*seq` → batch, seq).
    var symbols: [String] { DimProduct([self])?.symbols ?? [] }

    /// The dimension with the given symbols replaced by their values; nil on overflow.
    func substituting(_ values: [String: Int]) -> Dim? {
        guard case .symbolic = self, let product = DimProduct([self]) else { return self }
        var factor = product.factor
        var remaining: [String] = []
        for symbol in product.symbols {
            guard let value = values[symbol] else { remaining.append(symbol); continue }
            let (result, overflow) = factor.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            factor = result
        }
        return DimProduct(factor: factor, symbols: remaining).dim
    }
}
