import ModelZoo

/// Our outputs against another runtime's, output by output: `zoo bench --compare` prints the
/// lines and fails when any output differs or is missing on either side.
struct OutputAgreement {
    /// One line per output name, sorted.
    let lines: [String]
    /// The outputs that differ or that one side lacks.
    let failures: [String]
    let peer: String

    static let rtol = 1e-4
    /// A fixed part and a part relative to the reference's largest magnitude, so that
    /// outputs near zero in a large-valued tensor are not held to float32 rounding.
    static func atol(for reference: Tensor) -> Double { 1e-5 + 1e-4 * (reference.doubleValues.map(abs).max() ?? 0) }
    static let tolerance = "rtol 1e-4, atol 1e-5 + 1e-4·max|ref|"

    init(ours: [String: Tensor], reference: [String: Tensor], peer: String) {
        var lines: [String] = []
        var failures: [String] = []
        for name in Set(ours.keys).union(reference.keys).sorted() {
            let verdict: String
            switch (ours[name], reference[name]) {
            case (let actual?, let expected?):
                guard let mismatch = actual.mismatch(against: expected, rtol: Self.rtol, atol: Self.atol(for: expected)) else {
                    lines.append("output \(name): matches \(peer) (\(Self.tolerance))")
                    continue
                }
                switch mismatch.kind {
                case .shape(let ours, let theirs): verdict = "DIFFERS FROM \(peer): shape \(ours) here, \(theirs) there"
                case .dtype(let ours, let theirs): verdict = "DIFFERS FROM \(peer): \(ours) here, \(theirs) there"
                case .values: verdict = "DIFFERS FROM \(peer) (\(Self.tolerance)): \(mismatch)"
                }
            case (_?, nil): verdict = "MISSING from \(peer)'s outputs"
            case (nil, _): verdict = "MISSING from our outputs, given by \(peer)"
            }
            lines.append("output \(name): \(verdict)")
            failures.append(name)
        }
        self.lines = lines
        self.failures = failures
        self.peer = peer
    }

    /// Throws, naming the failed outputs, unless every output agrees.
    func check() throws {
        guard failures.isEmpty else {
            throw CommandError("outputs differing from \(peer) or missing: \(failures.joined(separator: ", "))")
        }
    }
}
