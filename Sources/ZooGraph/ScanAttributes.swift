/// Scan (ONNX opset 16): runs `body` once per position along the scanned axis, carrying
/// state from one iteration to the next; a recurrence over a sequence of any length.
///
/// The node's inputs are N initial states, then `scanInputCount` (M) scanned tensors. The
/// body takes the N current states and one slice of each scanned tensor (its scan axis
/// removed), and returns the N next states followed by K per-iteration values. The node's
/// outputs are the N final states, then the K per-iteration values stacked along their scan
/// output axes, which have the sequence length.
///
/// The body may read values of the enclosing graphs by name (weights, typically), as ONNX
/// allows; those reads are the node's `implicitInputs`. Its node outputs may not reuse a name
/// of an enclosing graph (ONNX's single-assignment rule).
public struct ScanAttributes: Sendable, Equatable {
    public var body: Graph
    /// `num_scan_inputs`: how many of the node's inputs, the last ones, are scanned.
    public var scanInputCount: Int
    /// For each scanned input, the axis iterated over; nil is axis 0 for all.
    public var scanInputAxes: [Int]?
    /// For each scanned input, 0 (first to last) or 1 (last to first); nil is 0 for all.
    public var scanInputDirections: [Int]?
    /// For each per-iteration output, the axis it is stacked along; nil is axis 0 for all.
    public var scanOutputAxes: [Int]?
    /// For each per-iteration output, 0 (appended in iteration order) or 1 (prepended, so the
    /// outputs of a reverse scan line up with its inputs); nil is 0 for all.
    public var scanOutputDirections: [Int]?

    public init(body: Graph, scanInputCount: Int, scanInputAxes: [Int]? = nil, scanInputDirections: [Int]? = nil,
                scanOutputAxes: [Int]? = nil, scanOutputDirections: [Int]? = nil) {
        self.body = body
        self.scanInputCount = scanInputCount
        self.scanInputAxes = scanInputAxes
        self.scanInputDirections = scanInputDirections
        self.scanOutputAxes = scanOutputAxes
        self.scanOutputDirections = scanOutputDirections
    }
}
