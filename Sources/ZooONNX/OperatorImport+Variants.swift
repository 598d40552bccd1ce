import ZooGraph

/// Operators read as another op: Scatter (opsets 9 and 10, deprecated at 11) is
/// ScatterElements without reduction, under its older name; it is written back as such.
extension OperatorImport {
    static let variantKnown: [String: Set<String>] = ["Scatter": ["axis"]]

    func makeVariantOp() throws(Problem) -> Op {
        .movement(.scatterElements(axis: try int("axis", default: 0), reduction: .none))
    }
}
