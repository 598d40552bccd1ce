import Foundation
import ModelZoo

/// The top classes of classifier-shaped outputs: floating-point [batch, classes] with more
/// than one class.
enum ClassScores {
    /// Whether `tensor` has the shape and type of class scores.
    static func isClassScores(_ tensor: Tensor) -> Bool {
        tensor.dtype.isFloatingPoint && tensor.rank == 2 && tensor.shape[1] > 1
    }

    /// The `count` highest scores of each row, one line per row, best first; nil unless
    /// `tensor` has the shape of class scores.
    static func top(_ tensor: Tensor, count: Int) -> String? {
        guard isClassScores(tensor) else { return nil }
        let classes = tensor.shape[1]
        let values = tensor.doubleValues
        return (0..<tensor.shape[0]).map { row in
            let scores = values[(row * classes)..<((row + 1) * classes)].enumerated().sorted { $0.element > $1.element }
            return "  batch \(row) top \(min(count, classes)): "
                + scores.prefix(count).map { String(format: "%d (%.4g)", $0.offset, $0.element) }.joined(separator: ", ")
        }.joined(separator: "\n")
    }
}
