import ZooTensor

// Attribute structs for ops that have more than one attribute. Names, meanings and defaults
// are those of the ONNX operator specification at opset 17.

/// ONNX `auto_pad`: how padding is derived when `pads` is not given explicitly.
public enum AutoPad: String, Sendable, Hashable, CaseIterable {
    case notSet = "NOTSET", sameUpper = "SAME_UPPER", sameLower = "SAME_LOWER", valid = "VALID"
}

/// Conv: `Y = W ⋆ X (+ B)`, X `[N, C, spatial...]`, W `[M, C/group, kernel...]`, B `[M]`.
public struct ConvAttributes: Sendable, Hashable {
    public var kernelShape: [Int]?
    public var strides: [Int]?
    /// Begin values for every spatial axis, then end values (`[top, left, bottom, right]`).
    public var pads: [Int]?
    public var dilations: [Int]?
    public var group: Int
    public var autoPad: AutoPad

    public init(kernelShape: [Int]? = nil, strides: [Int]? = nil, pads: [Int]? = nil, dilations: [Int]? = nil,
                group: Int = 1, autoPad: AutoPad = .notSet) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
        self.group = group
        self.autoPad = autoPad
    }
}

/// MaxPool and AveragePool.
public struct PoolAttributes: Sendable, Hashable {
    public var kernelShape: [Int]
    public var strides: [Int]?
    public var pads: [Int]?
    public var dilations: [Int]?
    public var ceilMode: Bool
    /// AveragePool only: whether padded cells count in the divisor.
    public var countIncludePad: Bool
    public var autoPad: AutoPad
    /// MaxPool only: the flat order of its Indices output, 0 row-major, 1 column-major
    /// (spatial axes reversed within each plane).
    public var storageOrder: Int

    public init(kernelShape: [Int], strides: [Int]? = nil, pads: [Int]? = nil, dilations: [Int]? = nil,
                ceilMode: Bool = false, countIncludePad: Bool = false, autoPad: AutoPad = .notSet, storageOrder: Int = 0) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.autoPad = autoPad
        self.storageOrder = storageOrder
    }
}

/// LRN across channels: `y = x / (bias + alpha/size · Σ x²)^beta`.
public struct LRNAttributes: Sendable, Hashable {
    public var size: Int
    public var alpha: Float
    public var beta: Float
    public var bias: Float

    public init(size: Int, alpha: Float = 0.0001, beta: Float = 0.75, bias: Float = 1.0) {
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.bias = bias
    }
}

/// Gemm: `Y = alpha · op(A) · op(B) + beta · C`, op = optional transpose.
public struct GemmAttributes: Sendable, Hashable {
    public var alpha: Float
    public var beta: Float
    public var transA: Bool
    public var transB: Bool

    public init(alpha: Float = 1, beta: Float = 1, transA: Bool = false, transB: Bool = false) {
        self.alpha = alpha
        self.beta = beta
        self.transA = transA
        self.transB = transB
    }
}

/// LSTM, ONNX form: inputs X, W `[dirs, 4H, I]`, R `[dirs, 4H, H]`, B `[dirs, 8H]`,
/// sequence_lens, initial_h, initial_c, P; gates stored in the order i, o, f, c.
public struct LSTMAttributes: Sendable, Hashable {
    public typealias Direction = RecurrentDirection

    public var hiddenSize: Int
    public var direction: Direction
    /// 0: X is `[seq, batch, input]`; 1: X is `[batch, seq, input]`.
    public var layout: Int
    public var clip: Float?
    public var inputForget: Bool
    /// Gate activations f, g, h per direction; empty means the default Sigmoid, Tanh, Tanh.
    public var activations: [RecurrentActivation]

    public init(hiddenSize: Int, direction: Direction = .forward, layout: Int = 0, clip: Float? = nil,
                inputForget: Bool = false, activations: [RecurrentActivation] = []) {
        self.hiddenSize = hiddenSize
        self.direction = direction
        self.layout = layout
        self.clip = clip
        self.inputForget = inputForget
        self.activations = activations
    }
}

/// Every Reduce* op (axes as an attribute, as at opset 17; a constant axes input from
/// opset 18, 13 for ReduceSum, is read into it). A node may instead keep its axes as its
/// second input (an int64 vector known only at run time); `axes` is then nil.
public struct ReduceAttributes: Sendable, Hashable {
    /// nil reduces over every axis; an empty list over none (ONNX's `noop_with_empty_axes`).
    public var axes: [Int]?
    public var keepDims: Bool
    /// With an axes input only: an empty axes tensor reduces over no axis instead of every one.
    public var noopWithEmptyAxes: Bool

    public init(axes: [Int]? = nil, keepDims: Bool = true, noopWithEmptyAxes: Bool = false) {
        self.axes = axes
        self.keepDims = keepDims
        self.noopWithEmptyAxes = noopWithEmptyAxes
    }
}
