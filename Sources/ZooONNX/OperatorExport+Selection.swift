import ZooGraph

// NonZero, Unique, Compress, NonMaxSuppression, RoiAlign and DeformConv → ONNX attributes.
// RoiAlign's coordinate transformation exists from opset 16; before it only
// output_half_pixel can be written (the writer refuses half_pixel there).
extension SelectionOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .nonZero: []
        case .unique(let a): [("sorted", .int(a.sorted ? 1 : 0))] + (a.axis.map { [("axis", .int($0))] } ?? [])
        case .compress(let axis): axis.map { [("axis", .int($0))] } ?? []
        case .nonMaxSuppression(let centerPointBox): centerPointBox ? [("center_point_box", .int(1))] : []
        }
    }
}

extension RegionOp {
    func onnxAttributes(opset: Int) -> [(String, AttributeValue)] {
        switch self {
        case .roiAlign(let a):
            [("mode", .string(a.mode.rawValue)), ("output_height", .int(a.outputHeight)), ("output_width", .int(a.outputWidth)),
             ("sampling_ratio", .int(a.samplingRatio)), ("spatial_scale", .float(a.spatialScale))]
                + (opset >= 16 ? [("coordinate_transformation_mode", .string(a.halfPixel ? "half_pixel" : "output_half_pixel"))] : [])
        case .deformConv(let a):
            [("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads), ("dilations", a.dilations)].compactMap { name, values in
                values.map { (name, AttributeValue.ints($0)) }
            } + [("group", .int(a.group)), ("offset_group", .int(a.offsetGroup))]
        }
    }

    /// Why this op has no form at `opset`: RoiAlign's half_pixel needs opset 16.
    func formProblem(opset: Int) -> String? {
        guard case .roiAlign(let a) = self, a.halfPixel, opset < 16 else { return nil }
        return "coordinate_transformation_mode half_pixel exists from opset 16"
    }
}
