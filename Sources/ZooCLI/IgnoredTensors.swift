/// How commands report the tensors of a weights file that the model does not use: a
/// torchvision checkpoint has one `num_batches_tracked` per BatchNorm, which would otherwise
/// bury the other notes. Entries are "name (dtype[shape]): reason", as the converters give them.
enum IgnoredTensors {
    /// One line with the count and each reason's share ("ignored 20 tensors: 20 BatchNorm's
    /// training-step counter; …"), or, with `verbose` or a single tensor, one line per tensor.
    static func lines(_ ignored: [String], verbose: Bool) -> [String] {
        if verbose || ignored.count == 1 { return ignored.map { "ignored \($0)" } }
        guard !ignored.isEmpty else { return [] }
        var counts: [(reason: String, count: Int)] = []
        for entry in ignored {
            let reason = entry.range(of: "): ").map { String(entry[$0.upperBound...]) } ?? "no reason given"
            if let index = counts.firstIndex(where: { $0.reason == reason }) { counts[index].count += 1 } else { counts.append((reason, 1)) }
        }
        let reasons = counts.map { "\($0.count) \($0.reason)" }.joined(separator: "; ")
        return ["ignored \(ignored.count) tensors (--verbose lists them): \(reasons)"]
    }
}
