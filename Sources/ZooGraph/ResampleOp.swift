import ZooTensor

/// Spatial resampling: ops whose output grid is the input's, resized, cropped or padded.
/// Resize holds the semantics of opset 19 (Upsample and the older Resize forms are read as
/// it); its scales, sizes and roi are inputs, as in ONNX, and must be known before running.
public enum ResampleOp: Sendable, Hashable {
    /// Resize(X, roi?, scales?, sizes?): every output index mapped to a source coordinate by
    /// `coordinateTransformation`, then interpolated by `mode` from its neighbours.
    case resize(ResizeAttributes)
    /// CenterCropPad(input, shape): each axis of `axes` (all when nil) cropped or padded
    /// with zeros to `shape`, centred (an odd difference puts the extra cell at the end).
    case centerCropPad(axes: [Int]?)

    public var onnxName: String {
        switch self {
        case .resize: "Resize"
        case .centerCropPad: "CenterCropPad"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .resize: 1...4
        case .centerCropPad: 2...2
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .resize(let a):
            [("mode", a.mode.rawValue), ("coordinate_transformation_mode", a.coordinateTransformation.rawValue),
             ("nearest_mode", a.mode == .nearest ? a.nearestMode.rawValue : nil), ("antialias", a.antialias ? 1 : nil),
             ("axes", a.axes), ("keep_aspect_ratio_policy", a.keepAspectRatioPolicy == .stretch ? nil : a.keepAspectRatioPolicy.rawValue)]
        case .centerCropPad(let axes): [("axes", axes)]
        }
    }
}

/// Resize's attributes with their ONNX defaults (opset 19).
public struct ResizeAttributes: Sendable, Hashable {
    public var mode: ResizeMode = .nearest
    public var coordinateTransformation: CoordinateTransformation = .halfPixel
    public var nearestMode: NearestMode = .roundPreferFloor
    /// The cubic kernel's `A` (−0.75 as in PyTorch; TensorFlow uses −0.5).
    public var cubicCoefficientA: Float = -0.75
    /// Taps outside the input get weight 0 and the others are renormalised.
    public var excludeOutside = false
    /// tf_crop_and_resize's value for output positions whose source lies outside the input.
    public var extrapolationValue: Float = 0
    /// Linear and cubic filters widened by 1/scale when downsampling (opset 18).
    public var antialias = false
    /// The axes scales, sizes and roi refer to (opset 18); all when nil.
    public var axes: [Int]?
    public var keepAspectRatioPolicy: AspectRatioPolicy = .stretch

    public init() {}
}

public enum ResizeMode: String, Sendable, Hashable, CaseIterable {
    case nearest, linear, cubic
}

/// How an output index x maps to a source coordinate, for an axis of input length n, output
/// length m and scale s (given, or m / n from sizes).
public enum CoordinateTransformation: String, Sendable, Hashable, CaseIterable {
    /// (x + 0.5) / s − 0.5
    case halfPixel = "half_pixel"
    /// half_pixel shifted so that the centres of input and output coincide when m ≠ s·n
    /// (opset 19).
    case halfPixelSymmetric = "half_pixel_symmetric"
    /// half_pixel, but −0.5 for an output of length 1.
    case pytorchHalfPixel = "pytorch_half_pixel"
    /// x · (n − 1) / (s·n − 1).
    case alignCorners = "align_corners"
    /// x / s
    case asymmetric
    /// (x + 0.5) / s: Resize opsets 11 and 12 only.
    case tfHalfPixelForNearest = "tf_half_pixel_for_nn"
    /// Within the region `roi` of each axis (start, end as fractions of n − 1); outside the
    /// input the output is `extrapolationValue`.
    case tfCropAndResize = "tf_crop_and_resize"
}

/// Which neighbour nearest mode takes for a source coordinate between two indices.
public enum NearestMode: String, Sendable, Hashable, CaseIterable {
    case roundPreferFloor = "round_prefer_floor"
    case roundPreferCeil = "round_prefer_ceil"
    case floor, ceil
}

/// How `sizes` is met (opset 18): exactly (stretch), or with one scale for every listed axis,
/// the largest that fits inside the sizes (not_larger) or the smallest that covers them
/// (not_smaller).
public enum AspectRatioPolicy: String, Sendable, Hashable, CaseIterable {
    case stretch
    case notLarger = "not_larger"
    case notSmaller = "not_smaller"
}

/// Why a Resize or CenterCropPad operand is invalid.
public struct ResampleError: Error, CustomStringConvertible {
    public let description: String
}

/// Resize's output shape and per-axis scales for a known input shape, from its constant
/// operands, with every size checked: output lengths are ⌊scale · n⌋ (scales) or `sizes`
/// (rounded half up under a keep-aspect-ratio policy), as the ONNX reference computes them.
public struct ResizeGeometry: Sendable, Hashable {
    public let outputShape: [Int]
    /// The scale of every axis (1 where none is given); with sizes, output / input length.
    public let scales: [Double]
    /// tf_crop_and_resize's region of every axis (starts, then ends; 0 and 1 where none is
    /// given), nil in other modes.
    public let roi: [Double]?

    /// `axes` are resolved and distinct; `scales`, `sizes` and `roi` hold one value (two for
    /// roi) per listed axis.
    public init(inputShape: [Int], attributes: ResizeAttributes, axes: [Int], scales givenScales: [Double]?,
                sizes: [Int]?, roi givenRoi: [Double]?) throws(ResampleError) {
        let rank = inputShape.count
        var shape = inputShape
        var scales = Array(repeating: 1.0, count: rank)
        switch (givenScales, sizes) {
        case (let given?, nil):
            guard given.count == axes.count else {
                throw ResampleError(description: "scales has \(given.count) values for \(axes.count) axes")
            }
            for (axis, scale) in zip(axes, given) {
                guard scale.isFinite, scale > 0 else { throw ResampleError(description: "scale \(scale) of axis \(axis) is not a positive number") }
                scales[axis] = scale
                shape[axis] = try Self.length(scale * Double(inputShape[axis]), axis: axis)
            }
        case (nil, let sizes?):
            guard sizes.count == axes.count else {
                throw ResampleError(description: "sizes has \(sizes.count) values for \(axes.count) axes")
            }
            for (axis, size) in zip(axes, sizes) {
                guard size >= 0 else { throw ResampleError(description: "size \(size) of axis \(axis) is negative") }
                guard inputShape[axis] > 0 || size == 0 else {
                    throw ResampleError(description: "axis \(axis) is empty and cannot be resized to \(size)")
                }
                shape[axis] = size
                scales[axis] = inputShape[axis] == 0 ? 1 : Double(size) / Double(inputShape[axis])
            }
            if attributes.keepAspectRatioPolicy != .stretch, !axes.isEmpty {
                let listed = axes.map { scales[$0] }
                let scale = (attributes.keepAspectRatioPolicy == .notLarger ? listed.min() : listed.max()) ?? 1
                for axis in axes {
                    scales[axis] = scale
                    shape[axis] = try Self.length(scale * Double(inputShape[axis]) + 0.5, axis: axis)
                }
            }
        default:
            throw ResampleError(description: "exactly one of scales and sizes must be given")
        }
        if attributes.coordinateTransformation == .tfCropAndResize {
            guard let givenRoi else { throw ResampleError(description: "tf_crop_and_resize needs roi") }
            guard givenRoi.count == 2 * axes.count else {
                throw ResampleError(description: "roi has \(givenRoi.count) values; \(axes.count) axes need \(2 * axes.count) (starts, then ends)")
            }
            guard givenRoi.allSatisfy(\.isFinite) else { throw ResampleError(description: "roi \(givenRoi) holds a value that is not finite") }
            var roi = Array(repeating: 0.0, count: rank) + Array(repeating: 1.0, count: rank)
            for (position, axis) in axes.enumerated() {
                (roi[axis], roi[rank + axis]) = (givenRoi[position], givenRoi[axes.count + position])
            }
            self.roi = roi
        } else {
            self.roi = nil
        }
        (outputShape, self.scales) = (shape, scales)
    }

    /// An output length from its real value, truncated as the reference does.
    private static func length(_ value: Double, axis: Int) throws(ResampleError) -> Int {
        do { return try CheckedArithmetic.integer(value) } catch {
            throw ResampleError(description: "the output length of axis \(axis) (\(value)): \(error)")
        }
    }
}

/// One axis of CenterCropPad: the output keeps `kept` input cells from `first`, written
/// from output index `before`; the other cells are zeros.
public struct CenteredAxis: Sendable, Hashable {
    public let length: Int
    public let first: Int
    public let kept: Int
    public let before: Int

    public init(inputLength: Int, outputLength: Int) throws(ResampleError) {
        guard outputLength >= 0 else { throw ResampleError(description: "shape \(outputLength) is negative") }
        length = outputLength
        kept = min(inputLength, outputLength)
        // An odd difference leaves the extra cell at the end, as the ONNX reference does.
        first = (inputLength - kept) / 2
        before = (outputLength - kept) / 2
    }
}

/// Resize's operands from their constant tensors: scales and roi as reals, sizes as
/// integers, an empty tensor read as absent (opsets 11 and 12 ask for an empty scales
/// beside sizes).
public struct ResizeOperands: Sendable, Hashable {
    public var scales: [Double]?
    public var sizes: [Int]?
    public var roi: [Double]?

    public init(roi: Tensor?, scales: Tensor?, sizes: Tensor?) throws(ResampleError) {
        func present(_ tensor: Tensor?) -> Tensor? { tensor.flatMap { $0.elementCount == 0 ? nil : $0 } }
        self.roi = present(roi).map(\.doubleValues)
        self.scales = present(scales).map(\.doubleValues)
        if let sizes = present(sizes) {
            guard let values = sizes.integerValues else { throw ResampleError(description: "sizes must be integers, got \(sizes.dtype)") }
            self.sizes = values
        }
        if self.scales != nil, self.sizes != nil { throw ResampleError(description: "scales and sizes are both given; the spec allows one") }
    }
}

extension ResizeAttributes {
    /// Source cells one output position reads along an axis of this scale: 1 for nearest, 2
    /// for linear, 4 for cubic; with antialias a downsampling filter stretched by 1/scale
    /// covers 2 − 2·(⌊−1/scale⌋ + 1) cells (linear) or 2 − 2·(⌊−2/scale⌋ + 1) (cubic), as
    /// the ONNX reference counts them.
    public func tapCount(scale: Double) -> Int {
        let reach: Double
        switch mode {
        case .nearest: return 1
        case .linear: reach = 1
        case .cubic: reach = 2
        }
        // A scale of 0 is an empty output, which reads nothing.
        guard antialias, scale < 1, scale > 0 else { return Int(2 * reach) }
        let start = (-reach / scale).rounded(.down) + 1
        return (try? CheckedArithmetic.integer(2 - 2 * start)) ?? Int.max
    }
}
