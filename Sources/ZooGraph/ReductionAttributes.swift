/// The Reduce* operators: each folds the elements of the reduced axes into one value.
/// An empty set (a reduced axis of size 0) gives the fold's identity, as ONNX defines
/// from opset 18: 0 for the sums and norms, 1 for the product, −∞ (the lowest integer)
/// for max, +∞ (the highest integer) for min, −∞ for LogSum and LogSumExp.
public enum ReduceOperation: String, Sendable, Hashable, CaseIterable {
    /// Σ|x|, √Σx², log Σx, log Σeˣ, max, Σx / n, min, Πx, Σx, Σx².
    case l1, l2, logSum, logSumExp, max, mean, min, product, sum, sumSquare

    public var onnxName: String {
        switch self {
        case .l1: "ReduceL1"
        case .l2: "ReduceL2"
        case .logSum: "ReduceLogSum"
        case .logSumExp: "ReduceLogSumExp"
        case .max: "ReduceMax"
        case .mean: "ReduceMean"
        case .min: "ReduceMin"
        case .product: "ReduceProd"
        case .sum: "ReduceSum"
        case .sumSquare: "ReduceSumSquare"
        }
    }

    public init?(onnxName: String) {
        guard let operation = Self.allCases.first(where: { $0.onnxName == onnxName }) else { return nil }
        self = operation
    }

    /// The opset from which `axes` is an input instead of an attribute.
    public var axesInputOpset: Int { self == .sum ? 13 : 18 }
}

/// ArgMax and ArgMin: the int64 index of the largest (smallest) element along `axis`.
public struct ArgReduceAttributes: Sendable, Hashable {
    public var selectsMaximum: Bool
    public var axis: Int
    public var keepDims: Bool
    /// Of equal extrema, the last index instead of the first.
    public var selectLastIndex: Bool

    public init(selectsMaximum: Bool, axis: Int = 0, keepDims: Bool = true, selectLastIndex: Bool = false) {
        self.selectsMaximum = selectsMaximum
        self.axis = axis
        self.keepDims = keepDims
        self.selectLastIndex = selectLastIndex
    }
}

/// CumSum and CumProd: running sums (products) along an axis.
public struct CumulativeAttributes: Sendable, Hashable {
    public enum Operation: Sendable, Hashable {
        case sum, product

        public var onnxName: String { self == .sum ? "CumSum" : "CumProd" }
    }

    public var operation: Operation
    /// Each output leaves out its own element: y₀ is the identity.
    public var exclusive: Bool
    /// Runs from the end of the axis to its start.
    public var reverse: Bool

    public init(_ operation: Operation, exclusive: Bool = false, reverse: Bool = false) {
        self.operation = operation
        self.exclusive = exclusive
        self.reverse = reverse
    }
}

/// TopK (opset 11 on): the k largest (smallest) elements along `axis`.
public struct TopKAttributes: Sendable, Hashable {
    public var axis: Int
    public var largest: Bool
    /// Whether the k results are in order of value; ours always are, which ONNX allows.
    public var sorted: Bool

    public init(axis: Int = -1, largest: Bool = true, sorted: Bool = true) {
        self.axis = axis
        self.largest = largest
        self.sorted = sorted
    }
}

extension ReduceAttributes {
    /// The axes to reduce, nil for every axis: the values of the node's axes input when it
    /// has one (empty: every axis, or none with `noopWithEmptyAxes`), else `axes`.
    public func requestedAxes(axesInput: [Int]?) -> [Int]? {
        guard let values = axesInput else { return axes }
        return values.isEmpty && !noopWithEmptyAxes ? nil : values
    }
}
