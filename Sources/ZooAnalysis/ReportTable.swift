// The formats for people: an aligned text table and a Markdown table, each followed by
// the totals and notes.
extension ComplexityReport {
    func textTable() -> String {
        let shown = humanColumns
        let header = shown.map(\.column.title)
        let body = rows.map { row in shown.map { $0.value(row) } }
        let widths = shown.indices.map { index in ([header] + body).map { $0[index].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            shown.indices.map { index in
                let padding = String(repeating: " ", count: widths[index] - cells[index].count)
                return shown[index].column.isNumeric ? padding + cells[index] : cells[index] + padding
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        // The last row is the total: set off by a rule.
        let lines = [line(header), rule] + body.dropLast().map(line) + [rule] + body.suffix(1).map(line)
        return (lines.map { $0.trimmingTrailingSpaces } + [""] + notes).joined(separator: "\n") + "\n"
    }

    func markdownTable() -> String {
        let shown = humanColumns
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let lines = [line(shown.map(\.column.title)), line(shown.map { $0.column.isNumeric ? "---:" : ":---" })]
            + rows.map { row in line(shown.map { $0.value(row) }) }
        return (lines + [""] + notes.map { "- " + $0 }).joined(separator: "\n") + "\n"
    }

    /// Totals and anything the reader must know to trust them.
    var notes: [String] {
        var notes = [
            "parameters \(HumanReadable.count(total.parameters)) (trainable \(HumanReadable.count(total.trainableParameters)), "
                + "non-trainable \(HumanReadable.count(total.nonTrainableParameters)))",
            "MACs \(HumanReadable.count(total.macs)), FLOPs \(HumanReadable.count(total.flops)), "
                + "activations \(HumanReadable.bytes(total.activationBytes))",
        ]
        let uncounted = self.uncounted
        if !uncounted.isEmpty {
            let nodeShare = HumanReadable.percent(uncounted.count, of: nodes.count)
            let byteShare = HumanReadable.share(uncountedTotal.activationBytes, of: total.activationBytes,
                                                format: HumanReadable.bytes)
            notes.append("uncounted (no rule for the op): \(uncounted.count) of \(nodes.count) nodes (\(nodeShare)), "
                + "\(byteShare) of activation bytes: "
                + uncounted.map { "\($0.name) (\($0.op))" }.joined(separator: ", "))
        }
        let constant = nodes.filter(\.computesConstant).count
        if constant > 0 {
            notes.append("nodes computing constants from parameters and constants alone (run once, at load time; "
                + "no compute, no activations): \(constant)")
        }
        if !unreadParameters.isEmpty {
            notes.append("initializers no node reads (not counted): " + unreadParameters.joined(separator: ", "))
        }
        if !runTimeDims.isEmpty {
            notes.append("sizes known only at run time (computed from values while the graph runs): " + runTimeDims.joined(separator: ", "))
        }
        notes.append(Self.conventions)
        return notes
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        String(self[..<(lastIndex(where: { $0 != " " }).map { index(after: $0) } ?? startIndex)])
    }
}
