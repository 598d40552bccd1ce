// CSV (RFC 4180): a header, one row per node or block, and a total row; exact integers,
// symbolic counts as polynomials (`16·batch·seq² + 192·batch·seq`).
extension ComplexityReport {
    func csv() -> String {
        let columns = self.columns + (blocks == nil ? [countedColumn] : [])
        let lines = [columns.map(\.csvTitle)] + rows.map { row in columns.map { $0.exact(row) } }
        return lines.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private var countedColumn: ReportColumn {
        ReportColumn(title: "counted", csvTitle: "counted", isNumeric: false, human: nil,
                     exact: { $0.isCounted ? "true" : "false" })
    }

    /// Quotes a field holding a comma, quote or line break, doubling its quotes.
    private static func csvField(_ value: String) -> String {
        guard value.contains(where: { ",\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
