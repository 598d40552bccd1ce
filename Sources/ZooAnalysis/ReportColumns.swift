/// One row of a tabular report: a node, a block, or the total.
struct ReportRow {
    var label: String
    var op = ""
    var outputs = ""
    var nodeCount = 0
    var isCounted = true
    var counts: Counts
}

/// A column of a tabular report, with its value for people (nil: the column is left out of
/// the tables for people) and its exact value.
struct ReportColumn {
    var title: String
    var csvTitle: String
    var isNumeric: Bool
    var human: ((ReportRow) -> String)?
    var exact: (ReportRow) -> String
}

extension ComplexityReport {
    /// Blocks when rolled up, else nodes; then the total.
    var rows: [ReportRow] {
        let body = blocks.map { blocks in
            blocks.map { ReportRow(label: $0.path, nodeCount: $0.nodeCount, counts: $0.counts) }
        } ?? nodes.map { node in
            ReportRow(label: node.name, op: node.op, outputs: node.outputTypes.map(\.description).joined(separator: " "),
                      isCounted: node.isCounted, counts: node.counts)
        }
        return body + [ReportRow(label: "total", nodeCount: nodes.count, counts: total)]
    }

    var columns: [ReportColumn] {
        let identity = blocks == nil
            ? [textColumn("name", \.label), textColumn("op", \.op), textColumn("output", \.outputs)]
            : [textColumn("block", \.label), numberColumn("nodes", "nodes", { "\($0.nodeCount)" }, { "\($0.nodeCount)" })]
        return identity + [
            numberColumn("params", "parameters", { HumanReadable.count($0.counts.parameters) },
                         { "\($0.counts.parameters)" }),
            // Per-row trainable counts are for machines; people get them in the totals.
            numberColumn("trainable", "trainable_parameters", nil, { "\($0.counts.trainableParameters)" }),
            numberColumn("MACs", "macs", measured { HumanReadable.count($0.macs) }, measured { $0.macs.description }),
            numberColumn("FLOPs", "flops", measured { HumanReadable.count($0.flops) }, measured { $0.flops.description }),
            numberColumn("activations", "activation_bytes", { HumanReadable.bytes($0.counts.activationBytes) },
                         { $0.counts.activationBytes.description }),
        ]
    }

    /// The columns shown to people, with their short values.
    var humanColumns: [(column: ReportColumn, value: (ReportRow) -> String)] {
        columns.compactMap { column in column.human.map { (column, $0) } }
    }
}

private func textColumn(_ title: String, _ value: KeyPath<ReportRow, String>) -> ReportColumn {
    ReportColumn(title: title, csvTitle: title, isNumeric: false, human: { $0[keyPath: value] },
                 exact: { $0[keyPath: value] })
}

private func numberColumn(_ title: String, _ csvTitle: String, _ human: ((ReportRow) -> String)?,
                          _ exact: @escaping (ReportRow) -> String) -> ReportColumn {
    ReportColumn(title: title, csvTitle: csvTitle, isNumeric: true, human: human, exact: exact)
}

/// A compute figure, or "uncounted" for a node whose op had no rule.
private func measured(_ value: @escaping (Counts) -> String) -> (ReportRow) -> String {
    { $0.isCounted ? value($0.counts) : "uncounted" }
}
