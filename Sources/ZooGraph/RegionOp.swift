import ZooTensor

/// Ops that read an image at places given per output: RoiAlign pools regions of interest to a
/// fixed grid; DeformConv convolves with every kernel tap moved by a learnt offset.
public enum RegionOp: Sendable, Hashable {
    /// RoiAlign(X `[N, C, H, W]`, rois `[R, 4]` as (x1, y1, x2, y2), batch_indices `[R]`) →
    /// `[R, C, output_height, output_width]` (opset 10; coordinate_transformation_mode from 16).
    case roiAlign(RoiAlignAttributes)
    /// DeformConv(X `[N, C, H, W]`, W `[oC, C/group, kH, kW]`, offset `[N, 2·offset_group·kH·kW,
    /// oH, oW]`, B `[oC]`?, mask `[N, offset_group·kH·kW, oH, oW]`?) → `[N, oC, oH, oW]` (opset 19).
    case deformConv(DeformConvAttributes)

    public var onnxName: String {
        switch self {
        case .roiAlign: "RoiAlign"
        case .deformConv: "DeformConv"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .roiAlign: 3...3
        case .deformConv: 3...5
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .roiAlign(let a):
            [("mode", a.mode == .average ? nil : "max"), ("output_height", a.outputHeight), ("output_width", a.outputWidth),
             ("sampling_ratio", a.samplingRatio == 0 ? nil : a.samplingRatio), ("spatial_scale", a.spatialScale == 1 ? nil : a.spatialScale),
             ("coordinate_transformation_mode", a.halfPixel ? nil : "output_half_pixel")]
        case .deformConv(let a):
            [("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads), ("dilations", a.dilations),
             ("group", a.group == 1 ? nil : a.group), ("offset_group", a.offsetGroup == 1 ? nil : a.offsetGroup)]
        }
    }
}

public struct RoiAlignAttributes: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable { case average = "avg", max }

    public var mode: Mode
    public var outputHeight: Int
    public var outputWidth: Int
    /// Sample points per bin along each axis; 0 takes ⌈roi size / output size⌉.
    public var samplingRatio: Int
    /// Scale from roi coordinates to the image's pixels.
    public var spatialScale: Float
    /// `half_pixel` (shift by −0.5 pixel, opset 16's default) or `output_half_pixel` (no
    /// shift, regions at least one pixel: opset 10's only form).
    public var halfPixel: Bool

    public init(mode: Mode = .average, outputHeight: Int = 1, outputWidth: Int = 1, samplingRatio: Int = 0,
                spatialScale: Float = 1, halfPixel: Bool = true) {
        self.mode = mode
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.samplingRatio = samplingRatio
        self.spatialScale = spatialScale
        self.halfPixel = halfPixel
    }
}

/// DeformConv's geometry per spatial axis; nil means the default (kernel from W, 1s, 0 pads).
public struct DeformConvAttributes: Sendable, Hashable {
    public var kernelShape: [Int]?
    public var strides: [Int]?
    /// Begin pads of every axis, then end pads.
    public var pads: [Int]?
    public var dilations: [Int]?
    public var group: Int
    public var offsetGroup: Int

    public init(kernelShape: [Int]? = nil, strides: [Int]? = nil, pads: [Int]? = nil, dilations: [Int]? = nil,
                group: Int = 1, offsetGroup: Int = 1) {
        self.kernelShape = kernelShape
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
        self.group = group
        self.offsetGroup = offsetGroup
    }
}

/// Where DeformConv's kernel taps sit before their offsets, for 2-D images: per spatial axis
/// the kernel length, stride, dilation and begin pad, and the output length
/// ⌊(input + pads − dilation·(kernel − 1) − 1) / stride⌋ + 1. Shape inference and the kernel
/// both check a node's geometry through this one definition.
public struct DeformConvGeometry: Sendable, Hashable {
    public let kernel: [Int]
    public let strides: [Int]
    public let dilations: [Int]
    public let padsBegin: [Int]
    public let output: [Int]

    /// Refuses lengths below 1, negative pads, kernels that do not fit and sizes beyond 64 bits.
    public init(input: [Int], kernel: [Int], _ attributes: DeformConvAttributes) throws(SpatialError) {
        guard input.count == 2, kernel.count == 2 else {
            throw SpatialError(description: "only 2-D deformable convolutions are supported (image \(input), kernel \(kernel))")
        }
        if let declared = attributes.kernelShape, declared != kernel {
            throw SpatialError(description: "kernel_shape \(declared) differs from the weight's \(kernel)")
        }
        func list(_ values: [Int]?, _ name: String, count: Int, default fallback: Int) throws(SpatialError) -> [Int] {
            guard let values else { return Array(repeating: fallback, count: count) }
            guard values.count == count else { throw SpatialError(description: "\(name) has \(values.count) values; 2 spatial axes need \(count)") }
            return values
        }
        let strides = try list(attributes.strides, "strides", count: 2, default: 1)
        let dilations = try list(attributes.dilations, "dilations", count: 2, default: 1)
        let pads = try list(attributes.pads, "pads", count: 4, default: 0)
        guard kernel.allSatisfy({ $0 >= 1 }), strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else {
            throw SpatialError(description: "kernel \(kernel), strides \(strides) and dilations \(dilations) must be positive, pads \(pads) not negative")
        }
        var output: [Int] = []
        for axis in 0..<2 {
            let padded: Int, extent: Int
            do {
                padded = try CheckedArithmetic.sum([input[axis], pads[axis], pads[axis + 2]])
                extent = try CheckedArithmetic.add(try CheckedArithmetic.multiply(dilations[axis], kernel[axis] - 1), 1)
            } catch { throw SpatialError(description: "image \(input), kernel \(kernel): \(error)") }
            guard padded >= extent else {
                throw SpatialError(description: "a kernel spanning \(extent) does not fit the padded image length \(padded) on spatial axis \(axis)")
            }
            output.append((padded - extent) / strides[axis] + 1)
        }
        (self.kernel, self.strides, self.dilations, self.output) = (kernel, strides, dilations, output)
        padsBegin = Array(pads.prefix(2))
    }
}
