/// A height and a width: kernel sizes, strides, dilations, image sizes. An integer literal
/// means a square.
public struct Size2D: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    public init(_ side: Int) { self.init(height: side, width: side) }
    public init(integerLiteral side: Int) { self.init(side) }

    public var values: [Int] { [height, width] }
    public var description: String { "\(height)x\(width)" }
}

/// Zero padding around the two spatial axes; may be asymmetric. An integer literal pads all sides.
public struct Padding: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral {
    public var top: Int
    public var left: Int
    public var bottom: Int
    public var right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    /// The same padding on both sides of each axis.
    public init(height: Int, width: Int) { self.init(top: height, left: width, bottom: height, right: width) }
    public init(integerLiteral all: Int) { self.init(height: all, width: all) }

    /// ONNX `pads` order: the begin of every spatial axis, then the end.
    public var onnxPads: [Int] { [top, left, bottom, right] }
}
