import ZooTensor

/// The remaining linear-algebra ops and the two Lp normalisations, with the semantics of
/// their newest ONNX opset. Each computes in floating point except BitCast, which moves bytes.
public enum AlgebraOp: Sendable, Hashable {
    /// Einsum(inputs…): the products of the operands summed over every label not in the output.
    case einsum(EinsumEquation)
    /// Det(X): the determinant of each matrix of the last two axes, `[*, M, M]` → `[*]`.
    case det
    /// LpNormalization(X): X divided by its Lp norm along `axis` (p is 1 or 2).
    case lpNormalization(axis: Int, p: Int)
    /// GlobalLpPool(X): `(Σ |x|^p)^(1/p)` over each channel's spatial axes, kept as size 1.
    case globalLpPool(p: Int)
    /// BitCast(X): the same bytes read as `to`, a dtype of the same width (opset 26).
    case bitCast(to: DType)

    public var onnxName: String {
        switch self {
        case .einsum: "Einsum"
        case .det: "Det"
        case .lpNormalization: "LpNormalization"
        case .globalLpPool: "GlobalLpPool"
        case .bitCast: "BitCast"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .einsum: 1...Int.max
        default: 1...1
        }
    }

    /// Attributes for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .einsum(let equation): [("equation", equation.text)]
        case .det: []
        case .lpNormalization(let axis, let p): [("axis", axis), ("p", p)]
        case .globalLpPool(let p): [("p", p)]
        case .bitCast(let to): [("to", to.rawValue)]
        }
    }
}

/// An Einsum equation, parsed: each operand's labels and the output's (the implicit output of
/// an equation without `->` is the ellipsis, then the labels used once, in alphabetical order).
public struct EinsumEquation: Sendable, Hashable {
    /// One position of an operand or the output: a letter, or the ellipsis standing for the
    /// leading (broadcast) axes not named by letters.
    public enum Label: Sendable, Hashable {
        case letter(Character)
        case ellipsis
    }

    /// The equation as written in the file (exported unchanged).
    public let text: String
    public let operands: [[Label]]
    public let output: [Label]

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws(ParseError) {
        self.text = text
        let compact = text.filter { !$0.isWhitespace }
        let sides = compact.components(separatedBy: "->")
        guard sides.count <= 2 else { throw ParseError(description: "equation '\(text)' has more than one '->'") }
        operands = try sides[0].split(separator: ",", omittingEmptySubsequences: false).map { (term: Substring) throws(ParseError) in
            try Self.labels(String(term), in: text)
        }
        if sides.count == 2 {
            output = try Self.labels(sides[1], in: text)
            let used = Set(operands.joined())
            for label in output where !used.contains(label) {
                throw ParseError(description: "equation '\(text)': output label \(label) is in no operand")
            }
            let letters = output.filter { $0 != .ellipsis }
            guard Set(letters).count == letters.count else { throw ParseError(description: "equation '\(text)' repeats an output label") }
        } else {
            let counts = Dictionary(operands.joined().map { ($0, 1) }, uniquingKeysWith: +)
            let once = counts.compactMap { label, count -> Character? in
                if case .letter(let letter) = label, count == 1 { return letter }
                return nil
            }.sorted()
            output = (counts[.ellipsis] != nil ? [.ellipsis] : []) + once.map { .letter($0) }
        }
    }

    private static func labels(_ term: String, in text: String) throws(ParseError) -> [Label] {
        var labels: [Label] = []
        var rest = Substring(term)
        while let first = rest.first {
            if rest.hasPrefix("...") {
                guard !labels.contains(.ellipsis) else { throw ParseError(description: "equation '\(text)' has two ellipses in one term") }
                labels.append(.ellipsis)
                rest = rest.dropFirst(3)
            } else if first.isASCII, first.isLetter {
                labels.append(.letter(first))
                rest = rest.dropFirst()
            } else {
                throw ParseError(description: "equation '\(text)': '\(first)' is not a letter or '...'")
            }
        }
        return labels
    }
}

extension EinsumEquation.Label: CustomStringConvertible {
    public var description: String {
        switch self {
        case .letter(let letter): "'\(letter)'"
        case .ellipsis: "'...'"
        }
    }
}
