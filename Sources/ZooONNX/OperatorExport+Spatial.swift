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

extension ModelWriter {
    /// Why a GridSample of `graph` has no form at `opset`: 3-D images (a rank-5 X) need
    /// opset 20. Nil when every GridSample has one.
    static func spatialFormProblem(_ graph: Graph, types: [String: TensorType], opset: Int) -> String? {
        guard opset < 20 else { return nil }
        for node in graph.nodes {
            guard case .spatial(.gridSample) = node.op, let image = node.inputs.first.flatMap({ types[$0] }), image.rank == 5 else { continue }
            return "node '\(node.name)' (GridSample) has no form at opset \(opset): 3-D images \(image) need opset 20"
        }
        return nil
    }
}
