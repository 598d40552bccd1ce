import ZooTensor

/// Sampling and folding of images in 2-D and 3-D: GridSample reads an image at the points a
/// grid names, AffineGrid makes such a grid from affine matrices, and Col2Im sums sliding
/// blocks (columns) back into an image. Images are `[N, C, spatial…]`.
public enum SpatialOp: Sendable, Hashable {
    /// GridSample(X `[N, C, D1…Dr]`, grid `[N, O1…Or, r]`) → `[N, C, O1…Or]` (r = 2, or 3
    /// from opset 20). The grid's last axis holds normalised coordinates in [-1, 1], the
    /// innermost axis (width) first.
    case gridSample(GridSampleAttributes)
    /// AffineGrid(theta `[N, r, r+1]`, size `[N, C, D1…Dr]`) → `[N, D1…Dr, r]`: each point of
    /// the normalised base grid mapped by theta (opset 20).
    case affineGrid(alignCorners: Bool)
    /// Col2Im(input `[N, C·∏block, L]`, image_shape, block_shape) → `[N, C, image…]`: each of
    /// the L columns added back at its block's place (opset 18).
    case col2Im(Col2ImAttributes)

    public var onnxName: String {
        switch self {
        case .gridSample: "GridSample"
        case .affineGrid: "AffineGrid"
        case .col2Im: "Col2Im"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .gridSample, .affineGrid: 2...2
        case .col2Im: 3...3
        }
    }

    /// Attributes that differ from their defaults, for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .gridSample(let a):
            [("mode", a.mode == .linear ? nil : a.mode.rawValue), ("padding_mode", a.padding == .zeros ? nil : a.padding.rawValue),
             ("align_corners", a.alignCorners ? 1 : nil)]
        case .affineGrid(let alignCorners): [("align_corners", alignCorners ? 1 : nil)]
        case .col2Im(let a): [("dilations", a.dilations), ("pads", a.pads), ("strides", a.strides)]
        }
    }
}

public struct GridSampleAttributes: Sendable, Hashable {
    /// Interpolation between pixels; named `bilinear`/`bicubic` before opset 20.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case linear, nearest, cubic

        /// The name the mode has at `opset`.
        public func onnxName(opset: Int) -> String {
            guard opset < 20 else { return rawValue }
            switch self {
            case .linear: return "bilinear"
            case .nearest: return "nearest"
            case .cubic: return "bicubic"
            }
        }

        /// The mode `name` stands for at `opset`; nil when that opset has no such name.
        public init?(onnxName name: String, opset: Int) {
            guard let mode = Self.allCases.first(where: { $0.onnxName(opset: opset) == name }) else { return nil }
            self = mode
        }
    }

    /// What a point outside the image reads.
    public enum Padding: String, Sendable, Hashable, CaseIterable {
        /// Zero.
        case zeros
        /// The nearest border pixel.
        case border
        /// The image reflected at its borders.
        case reflection
    }

    public var mode: Mode
    public var padding: Padding
    /// Whether -1 and 1 name the centres of the corner pixels (else their outer edges).
    public var alignCorners: Bool

    public init(mode: Mode = .linear, padding: Padding = .zeros, alignCorners: Bool = false) {
        self.mode = mode
        self.padding = padding
        self.alignCorners = alignCorners
    }
}

/// Col2Im's block geometry per spatial axis; nil means 1 for every axis (0 for pads).
public struct Col2ImAttributes: Sendable, Hashable {
    public var dilations: [Int]?
    /// Begin pads of every axis, then end pads.
    public var pads: [Int]?
    public var strides: [Int]?

    public init(dilations: [Int]? = nil, pads: [Int]? = nil, strides: [Int]? = nil) {
        self.dilations = dilations
        self.pads = pads
        self.strides = strides
    }
}

/// Where Col2Im's blocks lie: for each spatial axis, the image length, block length,
/// dilation, begin pad and stride, and how many blocks fit along it. Shape inference and the
/// kernel both check a node's geometry through this one definition.
public struct Col2ImGeometry: Sendable, Hashable {
    public let image: [Int]
    public let block: [Int]
    public let dilations: [Int]
    public let padsBegin: [Int]
    public let strides: [Int]
    /// Blocks along each axis: ⌊(image + pads − dilation·(block − 1) − 1) / stride⌋ + 1.
    public let blockCounts: [Int]
    /// Elements of one block (∏ block) and the column count L (∏ blockCounts).
    public let blockElementCount: Int
    public let columnCount: Int

    /// Refuses lengths below 1, negative pads, and sizes that overflow 64 bits.
    public init(image: [Int], block: [Int], _ attributes: Col2ImAttributes) throws(SpatialError) {
        let rank = image.count
        guard rank >= 1, block.count == rank else {
            throw SpatialError(description: "image_shape \(image) and block_shape \(block) must name the same number (≥ 1) of spatial axes")
        }
        func list(_ values: [Int]?, _ name: String, count: Int, default fallback: Int) throws(SpatialError) -> [Int] {
            guard let values else { return Array(repeating: fallback, count: count) }
            guard values.count == count else { throw SpatialError(description: "\(name) has \(values.count) values; \(rank) spatial axes need \(count)") }
            return values
        }
        let dilations = try list(attributes.dilations, "dilations", count: rank, default: 1)
        let pads = try list(attributes.pads, "pads", count: 2 * rank, default: 0)
        let strides = try list(attributes.strides, "strides", count: rank, default: 1)
        guard image.allSatisfy({ $0 >= 1 }), block.allSatisfy({ $0 >= 1 }) else {
            throw SpatialError(description: "image_shape \(image) and block_shape \(block) must be positive")
        }
        guard dilations.allSatisfy({ $0 >= 1 }), strides.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else {
            throw SpatialError(description: "dilations \(dilations) and strides \(strides) must be positive, pads \(pads) not negative")
        }
        func checked<Value>(_ compute: () throws(ArithmeticOverflow) -> Value) throws(SpatialError) -> Value {
            do { return try compute() } catch { throw SpatialError(description: "image_shape \(image), block_shape \(block): \(error)") }
        }
        var counts: [Int] = []
        for axis in 0..<rank {
            let padded = try checked { () throws(ArithmeticOverflow) in try CheckedArithmetic.sum([image[axis], pads[axis], pads[axis + rank]]) }
            let extent = try checked { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.add(try CheckedArithmetic.multiply(dilations[axis], block[axis] - 1), 1)
            }
            guard padded >= extent else {
                throw SpatialError(description: "a block spanning \(extent) does not fit the padded image length \(padded) on spatial axis \(axis)")
            }
            counts.append((padded - extent) / strides[axis] + 1)
        }
        blockElementCount = try checked { () throws(ArithmeticOverflow) in try CheckedArithmetic.product(block) }
        columnCount = try checked { () throws(ArithmeticOverflow) in try CheckedArithmetic.product(counts) }
        (self.image, self.block, self.dilations, self.strides) = (image, block, dilations, strides)
        padsBegin = Array(pads.prefix(rank))
        blockCounts = counts
    }
}

/// Why an operand of a spatial op is invalid.
public struct SpatialError: Error, CustomStringConvertible {
    public let description: String
}
