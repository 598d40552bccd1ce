import Foundation

/// A one-line progress bar on standard error, drawn only when it is a terminal and the work
/// is large enough to be worth watching.
struct ProgressBar {
    let label: String
    let minimumTotal: Int
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(_ label: String, minimumTotal: Int = 64 << 20) {
        self.label = label
        self.minimumTotal = minimumTotal
    }

    func update(_ done: Int, of total: Int) {
        guard isTerminal, total >= minimumTotal else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let line = "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] "
            + "\(done >> 20)/\(total >> 20) MiB" + (done >= total ? "\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
