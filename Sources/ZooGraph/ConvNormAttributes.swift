import ZooTensor

// Attributes of the convolution, pooling and normalisation variants beyond opset 17's Conv,
// pools, LRN, BatchNormalization and LayerNormalization. Names, meanings and defaults are
// the ONNX specification's.

/// ConvTranspose: X `[N, C, spatial...]`, W `[C, M/group, kernel...]`, B `[M]`, Y `[N, M, ...]`.
/// Each spatial output size is `stride·(n − 1) + output_padding + dilation·(k − 1) + 1 −
/// pads`, unless `output_shape` fixes it and the pads follow from it.
@dynamicMemberLookup
public struct ConvTransposeAttributes: Sendable, Hashable {
    /// Kernel shape, strides, pads, dilations, group and auto_pad, as Conv's (read through
    /// `attributes.strides` and so on).
    public var convolution: ConvAttributes
    public var outputPadding: [Int]?
    /// The spatial output sizes (or, as ONNX allows, `[N, M, spatial...]`).
    public var outputShape: [Int]?

    public init(kernelShape: [Int]? = nil, strides: [Int]? = nil, pads: [Int]? = nil, dilations: [Int]? = nil,
                group: Int = 1, autoPad: AutoPad = .notSet, outputPadding: [Int]? = nil, outputShape: [Int]? = nil) {
        convolution = ConvAttributes(kernelShape: kernelShape, strides: strides, pads: pads, dilations: dilations,
                                     group: group, autoPad: autoPad)
        self.outputPadding = outputPadding
        self.outputShape = outputShape
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ConvAttributes, Value>) -> Value {
        get { convolution[keyPath: keyPath] }
        set { convolution[keyPath: keyPath] = newValue }
    }
}

/// MaxUnpool: scatters X into a zero tensor at the flat positions I (MaxPool's indices), the
/// output sized like the pool's input: `(n − 1)·stride + k − pads`, or by the optional
/// `output_shape` input.
public struct MaxUnpoolAttributes: Sendable, Hashable {
    public var kernelShape: [Int]
    public var strides: [Int]?
    public var pads: [Int]?

    public init(kernelShape: [Int], strides: [Int]? = nil, pads: [Int]? = nil) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.pads = pads
    }
}

/// The normalisations whose output has the input's shape: `(x − mean) / √(var + ε)` over
/// some axes, then scaled (and shifted).
public enum Normalization: Sendable, Hashable {
    /// InstanceNormalization: over the spatial axes of each (batch, channel); scale and bias `[C]`.
    case instance(epsilon: Float)
    /// GroupNormalization: over the channels of each group and the spatial axes. Scale and
    /// bias are `[C]` (opset 21), or `[groupCount]` when `perGroupAffine` (opsets 18 to 20).
    case group(groupCount: Int, epsilon: Float, perGroupAffine: Bool)
    /// RMSNormalization (opset 23): `x / √(mean(x²) + ε) · scale` over the axes from `axis`.
    case rms(axis: Int, epsilon: Float)
    /// MeanVarianceNormalization: `(x − mean) / (√var + 1e-9)` over `axes` (the ONNX
    /// function body), no scale.
    case meanVariance(axes: [Int])
    /// BatchNormalization with training_mode=1: normalised by the batch's own mean and
    /// (population) variance per channel; its other two outputs are the running statistics
    /// `input · momentum + batch · (1 − momentum)`.
    case batchTraining(epsilon: Float, momentum: Float)

    public var onnxName: String {
        switch self {
        case .batchTraining: "BatchNormalization"
        case .instance: "InstanceNormalization"
        case .group: "GroupNormalization"
        case .rms: "RMSNormalization"
        case .meanVariance: "MeanVarianceNormalization"
        }
    }
}

extension Op {
    /// ONNX names of the convolution, pooling and normalisation variants.
    var convNormName: String {
        switch self {
        case .convTranspose: "ConvTranspose"
        case .lpPool: "LpPool"
        case .maxUnpool: "MaxUnpool"
        case .normalization(let normalization): normalization.onnxName
        default: ""
        }
    }

    /// LpPool's p; nil for every other op.
    var lpPoolExponent: Int? {
        if case .lpPool(_, let p) = self { p } else { nil }
    }

    var convNormInputArity: ClosedRange<Int> {
        switch self {
        case .convTranspose, .maxUnpool: 2...3
        case .normalization(.instance), .normalization(.group): 3...3
        case .normalization(.rms): 2...2
        case .normalization(.batchTraining): 5...5
        default: 1...1
        }
    }
}
