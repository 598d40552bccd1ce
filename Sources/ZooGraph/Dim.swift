import ZooTensor

/// One dimension of a tensor type: a known size, or a named size fixed only at run time
/// (`batch`, `seq`). A symbolic name may be a product of symbols and a factor, written
/// `2*batch*seq`, which is what flattening symbolic dimensions produces.
public enum Dim: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    case fixed(Int)
    case symbolic(String)

    public init(integerLiteral value: Int) { self = .fixed(value) }
    public init(stringLiteral value: String) { self = .symbolic(value) }

    public var value: Int? {
        if case .fixed(let size) = self { size } else { nil }
    }

    public var description: String {
        switch self {
        case .fixed(let size): "\(size)"
        case .symbolic(let name): name
        }
    }
}

/// A product of dimensions kept as a factor times a multiset of symbols, so shapes like
/// `[batch, seq, 768] → [batch*seq, 768] → [batch, seq, 12, 64]` resolve exactly.
public struct DimProduct: Hashable, Sendable {
    public var factor: Int
    /// Symbol names, sorted, with repeats (`["batch", "seq", "seq"]` is batch·seq²).
    public var symbols: [String]

    public init(factor: Int = 1, symbols: [String] = []) {
        self.factor = factor
        self.symbols = symbols.sorted()
    }

    /// The product of `dims`, or nil when the fixed part overflows 64 bits.
    public init?(_ dims: some Sequence<Dim>) {
        var factor = 1
        var symbols: [String] = []
        for dim in dims {
            switch dim {
            case .fixed(let size):
                let (product, overflow) = factor.multipliedReportingOverflow(by: size)
                if overflow { return nil }
                factor = product
            case .symbolic(let name):
                guard let parts = DimProduct.parse(name) else { return nil }
                let (product, overflow) = factor.multipliedReportingOverflow(by: parts.factor)
                if overflow { return nil }
                factor = product
                symbols += parts.symbols
            }
        }
        self.init(factor: factor, symbols: symbols)
    }

    /// Reads `2*batch*seq` back into factor 2 and symbols batch, seq; nil when the factors
    /// (a name read from a file may hold any) overflow 64 bits.
    static func parse(_ name: String) -> DimProduct? {
        var factor = 1
        var symbols: [String] = []
        for part in name.split(separator: "*", omittingEmptySubsequences: false) {
            if let number = Int(part), number >= 0 {
                guard let product = try? CheckedArithmetic.multiply(factor, number) else { return nil }
                factor = product
            } else {
                symbols.append(String(part))
            }
        }
        if symbols.isEmpty && factor != 1 { return DimProduct(factor: factor) }
        return symbols.isEmpty ? DimProduct(symbols: [name]) : DimProduct(factor: factor, symbols: symbols)
    }

    /// This product divided by `divisor`, when the division is exact.
    public func dividing(by divisor: DimProduct) -> DimProduct? {
        guard divisor.factor != 0, factor % divisor.factor == 0 else { return nil }
        var remaining = symbols
        for symbol in divisor.symbols {
            guard let index = remaining.firstIndex(of: symbol) else { return nil }
            remaining.remove(at: index)
        }
        return DimProduct(factor: factor / divisor.factor, symbols: remaining)
    }

    /// Back to a single dimension.
    public var dim: Dim {
        if symbols.isEmpty { return .fixed(factor) }
        let names = (factor == 1 ? [] : ["\(factor)"]) + symbols
        return .symbolic(names.joined(separator: "*"))
    }
}
