import ZooTensor

/// Ops that keep the elements, slices or boxes their data selects, so that the size of their
/// output depends on input VALUES: shape inference gives that size as a fresh symbolic dim,
/// and the executor learns it when the values are known (constants, or computed first).
public enum SelectionOp: Sendable, Hashable {
    /// NonZero(X) → int64 `[rank, count]`: the coordinates of the non-zero elements, row-major.
    case nonZero
    /// Unique(X) → Y, indices, inverse_indices, counts (opset 11).
    case unique(UniqueAttributes)
    /// Compress(input, condition) → the slices along `axis` (or elements of the flattened
    /// input when nil) whose condition is true.
    case compress(axis: Int?)
    /// NonMaxSuppression(boxes `[B, N, 4]`, scores `[B, C, N]`, max_output_boxes_per_class,
    /// iou_threshold, score_threshold) → int64 `[selected, 3]` (batch, class, box).
    case nonMaxSuppression(centerPointBox: Bool)

    public var onnxName: String {
        switch self {
        case .nonZero: "NonZero"
        case .unique: "Unique"
        case .compress: "Compress"
        case .nonMaxSuppression: "NonMaxSuppression"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .nonZero, .unique: 1...1
        case .compress: 2...2
        case .nonMaxSuppression: 2...5
        }
    }

    public var outputArity: ClosedRange<Int> {
        switch self {
        case .unique: 1...4
        default: 1...1
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .nonZero: []
        case .unique(let a): [("sorted", a.sorted ? nil : 0), ("axis", a.axis)]
        case .compress(let axis): [("axis", axis)]
        case .nonMaxSuppression(let centerPointBox): [("center_point_box", centerPointBox ? 1 : nil)]
        }
    }
}

public struct UniqueAttributes: Sendable, Hashable {
    /// Ascending order of value (slices compared lexicographically); else order of first occurrence.
    public var sorted: Bool
    /// The axis whose slices are compared; nil flattens the input.
    public var axis: Int?

    public init(sorted: Bool = true, axis: Int? = nil) {
        self.sorted = sorted
        self.axis = axis
    }
}
