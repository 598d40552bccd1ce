/// A product of symbols, kept as a sorted multiset of names: `["batch", "seq", "seq"]` is
/// batch·seq². The empty monomial is the constant 1.
public struct Monomial: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Symbol names, sorted, with repeats.
    public let symbols: [String]

    public init(_ symbols: some Sequence<String>) {
        self.symbols = symbols.sorted()
    }

    public static let one = Monomial([])

    public var degree: Int { symbols.count }

    /// Each symbol with its exponent, in name order.
    public var powers: [(symbol: String, exponent: Int)] {
        var result: [(symbol: String, exponent: Int)] = []
        for symbol in symbols {
            if result.last?.symbol == symbol { result[result.count - 1].exponent += 1 } else { result.append((symbol, 1)) }
        }
        return result
    }

    public static func * (lhs: Monomial, rhs: Monomial) -> Monomial {
        Monomial(lhs.symbols + rhs.symbols)
    }

    /// Higher degree first, then by name, so `batch·seq²` prints before `batch·seq`.
    public static func < (lhs: Monomial, rhs: Monomial) -> Bool {
        lhs.degree != rhs.degree ? lhs.degree > rhs.degree : lhs.symbols.lexicographicallyPrecedes(rhs.symbols)
    }

    /// `batch·seq²`; the constant monomial prints as `1`.
    public var description: String {
        guard !symbols.isEmpty else { return "1" }
        return powers.map { $0.exponent == 1 ? $0.symbol : $0.symbol + Self.superscript($0.exponent) }
            .joined(separator: "·")
    }

    private static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(exponent).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }
}
