/// An exact polynomial with integer coefficients in named symbols (`batch`, `seq`): the
/// form a count takes when some dimensions are only known at run time. BERT's MACs, for
/// example, are a term in batch·seq (the dense layers) plus one in batch·seq² (attention).
///
/// Arithmetic is checked: a result beyond 64 bits throws instead of wrapping or trapping,
/// because the dimensions come from user files.
public struct Polynomial: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Coefficient of each monomial; never holds a zero coefficient.
    public private(set) var terms: [Monomial: Int]

    public init(_ constant: Int) {
        terms = constant == 0 ? [:] : [.one: constant]
    }

    public init(integerLiteral value: Int) { self.init(value) }

    /// The polynomial `coefficient · monomial`.
    public init(_ coefficient: Int, _ monomial: Monomial) {
        terms = coefficient == 0 ? [:] : [monomial: coefficient]
    }

    /// The polynomial that is just `symbol`.
    public init(symbol: String) { self.init(1, Monomial([symbol])) }

    public static let zero = Polynomial(0)

    /// The value when no symbol occurs.
    public var constantValue: Int? {
        if terms.isEmpty { return 0 }
        return terms.count == 1 ? terms[.one] : nil
    }

    /// Every symbol that occurs, sorted.
    public var symbols: [String] {
        Set(terms.keys.flatMap(\.symbols)).sorted()
    }

    /// Terms in print order: highest degree first.
    public var sortedTerms: [(monomial: Monomial, coefficient: Int)] {
        terms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public static func + (lhs: Polynomial, rhs: Polynomial) throws(PolynomialError) -> Polynomial {
        var sum = lhs
        for (monomial, coefficient) in rhs.terms { try sum.add(coefficient, monomial) }
        return sum
    }

    public static func * (lhs: Polynomial, rhs: Polynomial) throws(PolynomialError) -> Polynomial {
        var product = Polynomial.zero
        for (left, a) in lhs.terms {
            for (right, b) in rhs.terms {
                try product.add(try checked(a.multipliedReportingOverflow(by: b)), left * right)
            }
        }
        return product
    }

    /// The sum of `polynomials`.
    public static func sum(_ polynomials: some Sequence<Polynomial>) throws(PolynomialError) -> Polynomial {
        var total = Polynomial.zero
        for polynomial in polynomials { total = try total + polynomial }
        return total
    }

    /// The product of `polynomials` (1 for none).
    public static func product(_ polynomials: some Sequence<Polynomial>) throws(PolynomialError) -> Polynomial {
        var total: Polynomial = 1
        for polynomial in polynomials { total = try total * polynomial }
        return total
    }

    /// The value for the given symbol values; every symbol that occurs needs one.
    public func evaluate(_ values: [String: Int]) throws(PolynomialError) -> Int {
        var total = 0
        for (monomial, coefficient) in terms {
            var term = coefficient
            for symbol in monomial.symbols {
                guard let value = values[symbol] else { throw .unboundSymbol(symbol) }
                term = try Self.checked(term.multipliedReportingOverflow(by: value))
            }
            total = try Self.checked(total.addingReportingOverflow(term))
        }
        return total
    }

    /// `2·batch·seq² + 3·batch·seq`, with exact coefficients.
    public var description: String {
        formatted { String($0) }
    }

    /// The polynomial with each coefficient's magnitude written by `coefficient` (for
    /// example `4.72 M·batch`); a coefficient of 1 is left out before a monomial.
    public func formatted(coefficient: (Int) -> String) -> String {
        guard !terms.isEmpty else { return coefficient(0) }
        var text = ""
        for (index, term) in sortedTerms.enumerated() {
            let magnitude = term.coefficient.magnitude
            if index > 0 { text += term.coefficient < 0 ? " − " : " + " } else if term.coefficient < 0 { text += "−" }
            let number = coefficient(Int(clamping: magnitude))
            switch (term.monomial == .one, magnitude == 1) {
            case (true, _): text += number
            case (false, true): text += term.monomial.description
            case (false, false): text += number + "·" + term.monomial.description
            }
        }
        return text
    }

    private mutating func add(_ coefficient: Int, _ monomial: Monomial) throws(PolynomialError) {
        let sum = try Self.checked((terms[monomial] ?? 0).addingReportingOverflow(coefficient))
        terms[monomial] = sum == 0 ? nil : sum
    }

    private static func checked(_ result: (partialValue: Int, overflow: Bool)) throws(PolynomialError) -> Int {
        guard !result.overflow else { throw .overflow }
        return result.partialValue
    }
}

public enum PolynomialError: Error, Equatable, CustomStringConvertible {
    /// A coefficient or value does not fit in 64 bits.
    case overflow
    /// Evaluation met a symbol without a value.
    case unboundSymbol(String)

    public var description: String {
        switch self {
        case .overflow: "the count does not fit in a 64-bit integer"
        case .unboundSymbol(let symbol): "no value was given for the symbol '\(symbol)'"
        }
    }
}
