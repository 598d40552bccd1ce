import Foundation
import ZooIO

/// Class names read from a labels file: UTF-8 text, one name per line in class index order
/// (`Zoo/labels/imagenet-1k.txt`, `Zoo/lenet5/labels.txt`).
public enum ClassLabels {
    /// Files larger than this are refused before they are read.
    public static let maximumFileBytes = 16 << 20

    /// The names; a final newline is optional, an empty line is an error naming it.
    public static func read(file path: String) throws(FileError) -> [String] {
        let bytes = try FileReader.readAll(path, limit: maximumFileBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FileError(path: path, reason: "not UTF-8 text") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        if let empty = lines.firstIndex(of: "") { throw FileError(path: path, reason: "line \(empty + 1) is empty: one class name per line") }
        guard !lines.isEmpty else { throw FileError(path: path, reason: "no class names") }
        return lines
    }
}
