/// The ways a report can be written out.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// An aligned text table with short numbers (25.56 M), then totals and notes.
    case table
    /// The same as a Markdown table.
    case markdown
    /// Every node (and block, when rolled up) with exact integers; polynomials as terms.
    case json
    /// One row per node (or block, when rolled up) and a total row, exact integers.
    case csv
}

extension ComplexityReport {
    /// The report in `format`: rows are blocks when the count was rolled up
    /// (`CountOptions.depth`), nodes otherwise.
    public func formatted(as format: ReportFormat = .table) -> String {
        switch format {
        case .table: textTable()
        case .markdown: markdownTable()
        case .json: json()
        case .csv: csv()
        }
    }
}
