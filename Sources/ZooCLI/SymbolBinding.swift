import ModelZoo

/// Sizes for the symbolic dimensions of a graph's inputs, from (in this order) the inputs
/// given as files, the values given on the command line, and defaults. A size that
/// contradicts one bound before it is an error naming both; so is a given symbol the inputs
/// do not have, and, unless symbols may stay open, a symbol left without a size.
struct SymbolBinding {
    /// A size and where it came from (`--batch 2`, `image=digits.npy`), for messages.
    struct Source {
        let value: Int
        let origin: String
    }

    /// The symbols bound so far.
    private(set) var sources: [String: Source] = [:]
    private let inputs: [ValueInfo]

    init(inputs: [ValueInfo]) { self.inputs = inputs }

    /// Every symbol the inputs' dimensions name, sorted.
    var symbols: [String] {
        Set(inputs.flatMap { $0.type.dims.compactMap { dim -> String? in
            if case .symbolic(let name) = dim { name } else { nil }
        } }).sorted()
    }

    var values: [String: Int] { sources.mapValues(\.value) }

    /// Binds the symbols of the input `name` from the shape of the tensor `origin` gives it;
    /// checks its rank and fixed sizes against the input's declaration.
    mutating func bind(input name: String, shape: [Int], origin: String) throws {
        guard let input = inputs.first(where: { $0.name == name }) else {
            throw CommandError("\(origin) names the input '\(name)', but the inputs are \(inputs.map(\.name).joined(separator: ", "))")
        }
        let declared = "input '\(name)' is \(input.type)"
        guard shape.count == input.type.dims.count else {
            throw CommandError("\(origin) has shape \(shape), but \(declared): rank \(input.type.dims.count), not \(shape.count)")
        }
        for (axis, (dim, size)) in zip(input.type.dims, shape).enumerated() {
            switch dim {
            case .fixed(let expected) where expected != size:
                throw CommandError("\(origin) has shape \(shape), but \(declared): dimension \(axis) must be \(expected)")
            case .symbolic(let symbol):
                try bind(symbol, Source(value: size, origin: "\(origin) (dimension \(axis) of shape \(shape))"))
            default:
                break
            }
        }
    }

    /// Binds the symbols given on the command line; each must be one the inputs have.
    mutating func bind(given: [String: Source]) throws {
        let symbols = symbols
        for (symbol, source) in given.sorted(by: { $0.key < $1.key }) {
            guard symbols.contains(symbol) else {
                throw CommandError("\(source.origin): the inputs have no symbolic dimension '\(symbol)'; "
                    + (symbols.isEmpty ? "every dimension is fixed" : "their symbols are \(symbols.joined(separator: ", "))"))
            }
            try bind(symbol, source)
        }
    }

    /// Gives each symbol the inputs have and nothing bound yet its default, if it has one.
    mutating func bind(defaults: [String: Int]) {
        for symbol in symbols where sources[symbol] == nil {
            if let value = defaults[symbol] { sources[symbol] = Source(value: value, origin: "the default \(symbol)=\(value)") }
        }
    }

    /// Throws, naming every symbol still without a size and the inputs that use it.
    func checkAllBound() throws {
        let unbound = symbols.filter { sources[$0] == nil }
        guard !unbound.isEmpty else { return }
        let uses = unbound.map { symbol in
            let users = inputs.filter { $0.type.dims.contains(.symbolic(symbol)) }.map { "'\($0.name)'" }
            return "'\(symbol)' (in \(users.joined(separator: ", ")))"
        }
        throw CommandError("no size for the symbolic dimension\(unbound.count == 1 ? "" : "s") \(uses.joined(separator: ", ")): "
            + "give \(unbound.map { "--dim \($0)=SIZE" }.joined(separator: " "))")
    }

    private mutating func bind(_ symbol: String, _ source: Source) throws {
        if let earlier = sources[symbol], earlier.value != source.value {
            throw CommandError("\(source.origin) makes '\(symbol)' \(source.value), but \(earlier.origin) makes it \(earlier.value)")
        }
        if sources[symbol] == nil { sources[symbol] = source }
    }
}
