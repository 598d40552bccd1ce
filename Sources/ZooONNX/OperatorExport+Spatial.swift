import ZooGraph

// GridSample, AffineGrid and Col2Im → ONNX attributes at one opset (GridSample's modes are
// bilinear and bicubic before opset 20); Col2Im's geometry is written whenever it is given.
extension SpatialOp {
    func onnxAttributes(opset: Int) -> [(String, AttributeValue)] {
        switch self {
        case .gridSample(let a):
            [("mode", .string(a.mode.onnxName(opset: opset))), ("padding_mode", .string(a.padding.rawValue))]
                + Self.alignCorners(a.alignCorners)
        case .affineGrid(let alignCorners): Self.alignCorners(alignCorners)
        case .col2Im(let a):
            [("dilations", a.dilations), ("pads", a.pads), ("strides", a.strides)].compactMap { name, values in
                values.map { (name, AttributeValue.ints($0)) }
            }
        }
    }

    private static func alignCorners(_ value: Bool) -> [(String, AttributeValue)] {
        value ? [("align_corners", .int(1))] : []
    }
}
