import ZooTensor

/// Data movement and indexing: ops that copy, select, rearrange or scatter elements, with
/// the semantics of the newest ONNX opset that changed them. None computes on the values
/// except ScatterElements' and ScatterND's reductions, so their kernels move bytes and take
/// any element type. Operands that size the output (pads, repeats, split sizes, depth) are
/// inputs, as in ONNX, and must be known before running.
public enum MovementOp: Sendable, Hashable {
    /// Pad(data, pads, constant_value?, axes?): `pads` holds the begin counts of the padded
    /// axes, then their end counts; a negative count crops. Axes as an input from opset 18.
    case pad(PadMode)
    /// Split(input, split?) along `axis`: by the sizes in `split`, else into one chunk per
    /// output of ⌈n / outputs⌉, the last smaller (opset 18; equal chunks before). `numOutputs`
    /// is opset 18's attribute, nil when a file did not say it; it equals the output count.
    case split(axis: Int, numOutputs: Int?)
    /// Tile(input, repeats): each axis repeated `repeats[axis]` times.
    case tile
    /// DepthToSpace: `[N, C, H, W]` → `[N, C/b², H·b, W·b]`, the channel read as
    /// (block row, block column, depth) for DCR or (depth, block row, block column) for CRD.
    case depthToSpace(blockSize: Int, mode: BlockOrder)
    /// SpaceToDepth: the inverse of DepthToSpace with the same mode (mode from opset 28).
    case spaceToDepth(blockSize: Int, mode: BlockOrder)
    /// GatherElements(data, indices): `out[i][j]… = data[…][indices[i][j]…][…]` on `axis`.
    case gatherElements(axis: Int)
    /// ScatterElements(data, indices, updates): data with `updates` written (or reduced)
    /// at the positions GatherElements would read.
    case scatterElements(axis: Int, reduction: ScatterReduction)
    /// ScatterND(data, indices, updates): data with the slices `indices[…, :]` address
    /// replaced by (or reduced with) `updates`.
    case scatterND(reduction: ScatterReduction)
    /// OneHot(indices, depth, values): a new axis of size depth at `axis`, `values[1]` where
    /// it equals the index (negative indices count from depth), `values[0]` elsewhere.
    case oneHot(axis: Int)
    /// Trilu(input, k?): the upper (j − i ≥ k) or lower (j − i ≤ k) triangle of the last two
    /// axes, zeros elsewhere.
    case trilu(upper: Bool)
    /// EyeLike(input): ones on the k-th diagonal of a 2-D tensor of the input's shape, of
    /// `dtype` (the input's when nil).
    case eyeLike(dtype: DType?, k: Int)
    /// ReverseSequence(input, sequence_lens): the first `sequence_lens[b]` steps along
    /// `timeAxis` of each batch entry b (on `batchAxis`) reversed, the rest copied.
    case reverseSequence(batchAxis: Int, timeAxis: Int)
    /// Size(data): the element count as an int64 scalar.
    case size

    public var onnxName: String {
        switch self {
        case .pad: "Pad"
        case .split: "Split"
        case .tile: "Tile"
        case .depthToSpace: "DepthToSpace"
        case .spaceToDepth: "SpaceToDepth"
        case .gatherElements: "GatherElements"
        case .scatterElements: "ScatterElements"
        case .scatterND: "ScatterND"
        case .oneHot: "OneHot"
        case .trilu: "Trilu"
        case .eyeLike: "EyeLike"
        case .reverseSequence: "ReverseSequence"
        case .size: "Size"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .pad: 2...4
        case .split, .trilu: 1...2
        case .tile, .gatherElements, .reverseSequence: 2...2
        case .scatterElements, .scatterND, .oneHot: 3...3
        case .depthToSpace, .spaceToDepth, .eyeLike, .size: 1...1
        }
    }

    public var outputArity: ClosedRange<Int> {
        switch self {
        case .split: 1...Int.max
        default: 1...1
        }
    }

    /// Opset 18's split into `count` chunks of ⌈length / count⌉, the last smaller; nil when
    /// the last would be negative.
    public static func chunkSizes(length: Int, count: Int) -> [Int]? {
        guard count >= 1 else { return nil }
        let chunk = length / count + (length % count == 0 ? 0 : 1)
        let last = length - chunk * (count - 1)
        guard last >= 0 else { return nil }
        return Array(repeating: chunk, count: count - 1) + [last]
    }

    /// OneHot's depth: one number, positive once truncated to an integer (a float depth is
    /// truncated, as onnxruntime does); nil otherwise.
    public static func oneHotDepth(_ tensor: Tensor) -> Int? {
        guard tensor.elementCount == 1, let value = tensor.doubleValues.first,
              let depth = try? CheckedArithmetic.integer(value.rounded(.towardZero)), depth >= 1 else { return nil }
        return depth
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .pad(let mode): [("mode", mode == .constant ? nil : mode.rawValue)]
        case .split(let axis, let numOutputs): [("axis", axis), ("num_outputs", numOutputs)]
        case .depthToSpace(let blockSize, let mode), .spaceToDepth(let blockSize, let mode):
            [("blocksize", blockSize), ("mode", mode == .depthColumnRow ? nil : mode.rawValue)]
        case .gatherElements(let axis): [("axis", axis)]
        case .scatterElements(let axis, let reduction): [("axis", axis), ("reduction", reduction == .none ? nil : reduction.rawValue)]
        case .scatterND(let reduction): [("reduction", reduction == .none ? nil : reduction.rawValue)]
        case .oneHot(let axis): [("axis", axis)]
        case .trilu(let upper): [("upper", upper ? nil : 0)]
        case .eyeLike(let dtype, let k): [("dtype", dtype?.rawValue), ("k", k == 0 ? nil : k)]
        case .reverseSequence(let batchAxis, let timeAxis): [("batch_axis", batchAxis), ("time_axis", timeAxis)]
        case .tile, .size: []
        }
    }
}

/// One axis of Pad: negative pads crop first (as the ONNX reference does), then `before`
/// cells are added ahead of the `kept` input cells (from index `first`) and the rest after.
public struct PaddedAxis: Sendable, Hashable {
    public let length: Int
    public let first: Int
    public let kept: Int
    public let before: Int

    /// Refuses pads that overflow, crop more than the axis holds, or ask a copying mode to
    /// pad an axis left empty.
    public init(inputLength: Int, begin: Int, end: Int, mode: PadMode) throws(MovementError) {
        guard let grown = try? CheckedArithmetic.add(begin, end), let length = try? CheckedArithmetic.add(inputLength, grown),
              let cropped = try? CheckedArithmetic.add(min(begin, 0), min(end, 0)),
              let kept = try? CheckedArithmetic.add(inputLength, cropped) else {
            throw MovementError(description: "pads \(begin), \(end) on an axis of \(inputLength) overflow 64 bits")
        }
        guard kept >= 0, length >= 0 else { throw MovementError(description: "pads \(begin), \(end) crop more than the axis holds (\(inputLength))") }
        guard mode == .constant || kept > 0 || length == 0 else {
            throw MovementError(description: "\(mode.rawValue) padding needs at least one input element, but the axis keeps none")
        }
        (self.length, self.first, self.kept, self.before) = (length, max(-begin, 0), kept, max(begin, 0))
    }
}

/// Why an operand of a movement op is invalid.
public struct MovementError: Error, CustomStringConvertible {
    public let description: String
}

/// Pad's `mode`: what the new cells hold.
public enum PadMode: String, Sendable, Hashable, CaseIterable {
    /// `constant_value` (0 when absent).
    case constant
    /// The input mirrored at its edges, the edge itself not repeated (numpy's `reflect`).
    case reflect
    /// The edge value repeated.
    case edge
    /// The input repeated periodically (opset 19).
    case wrap
}

/// How DepthToSpace and SpaceToDepth order a channel index: DCR is (block row, block
/// column, depth), CRD is (depth, block row, block column).
public enum BlockOrder: String, Sendable, Hashable, CaseIterable {
    case depthColumnRow = "DCR"
    case columnRowDepth = "CRD"
}

/// How ScatterElements and ScatterND combine an update with the value already there.
public enum ScatterReduction: String, Sendable, Hashable, CaseIterable {
    case none, add, mul, max, min
}
