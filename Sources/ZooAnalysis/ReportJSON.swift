import Foundation

// JSON: exact integers; a symbolic count is an object with its text and its terms.
extension ComplexityReport {
    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every value is a string, integer, array or object built here: encoding cannot fail.
        let data = (try? encoder.encode(JSONReport(self))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

private struct JSONReport: Encodable {
    struct Figures: Encodable {
        var parameters: Int
        var trainableParameters: Int
        var nonTrainableParameters: Int
        var macs: Polynomial
        var flops: Polynomial
        var activationBytes: Polynomial

        // Spelled out: the snake-case key strategy would also rewrite symbol names.
        enum CodingKeys: String, CodingKey {
            case parameters, macs, flops
            case trainableParameters = "trainable_parameters", nonTrainableParameters = "non_trainable_parameters"
            case activationBytes = "activation_bytes"
        }

        init(_ counts: Counts) {
            parameters = counts.parameters
            trainableParameters = counts.trainableParameters
            nonTrainableParameters = counts.nonTrainableParameters
            macs = counts.macs
            flops = counts.flops
            activationBytes = counts.activationBytes
        }
    }

    struct Node: Encodable {
        var name: String
        var op: String
        var outputs: [String]
        var counted: Bool
        var constant: Bool
        var counts: Figures
    }

    struct Block: Encodable {
        var path: String
        var nodes: Int
        var counts: Figures
    }

    var graph: String
    var conventions = ComplexityReport.conventions
    var total: Figures
    var nodes: [Node]
    var blocks: [Block]?
    var uncounted: [String]
    var unreadParameters: [String]

    enum CodingKeys: String, CodingKey {
        case graph, conventions, total, nodes, blocks, uncounted
        case unreadParameters = "unread_parameters"
    }

    init(_ report: ComplexityReport) {
        graph = report.graphName
        total = Figures(report.total)
        nodes = report.nodes.map {
            Node(name: $0.name, op: $0.op, outputs: $0.outputTypes.map(\.description), counted: $0.isCounted,
                 constant: $0.computesConstant, counts: Figures($0.counts))
        }
        blocks = report.blocks?.map { Block(path: $0.path, nodes: $0.nodeCount, counts: Figures($0.counts)) }
        uncounted = report.uncounted.map(\.name)
        unreadParameters = report.unreadParameters
    }
}

extension Polynomial: Encodable {
    /// A number when constant; otherwise `{"text": "16·batch·seq²", "terms":
    /// [{"coefficient": 16, "powers": {"batch": 1, "seq": 2}}]}`.
    public func encode(to encoder: any Encoder) throws {
        if let constant = constantValue {
            var container = encoder.singleValueContainer()
            try container.encode(constant)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(description, forKey: .text)
        try container.encode(sortedTerms.map { Term(coefficient: $0.coefficient, monomial: $0.monomial) }, forKey: .terms)
    }

    private enum CodingKeys: String, CodingKey { case text, terms }

    private struct Term: Encodable {
        var coefficient: Int
        var powers: [String: Int]

        init(coefficient: Int, monomial: Monomial) {
            self.coefficient = coefficient
            powers = Dictionary(uniqueKeysWithValues: monomial.powers.map { ($0.symbol, $0.exponent) })
        }
    }
}
