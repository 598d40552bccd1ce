import ZooGraph

// ONNX → IR for the ops that select by value (NonZero, Unique, Compress, NonMaxSuppression)
// and the region ops (RoiAlign, DeformConv). RoiAlign before opset 16 has no
// coordinate_transformation_mode and always means output_half_pixel; from 16 the default is
// half_pixel.
extension OperatorImport {
    static let selectionRegionKnown: [String: Set<String>] = [
        "NonZero": [], "Unique": ["sorted", "axis"], "Compress": ["axis"], "NonMaxSuppression": ["center_point_box"],
        "RoiAlign": ["mode", "output_height", "output_width", "sampling_ratio", "spatial_scale", "coordinate_transformation_mode"],
        "DeformConv": ["dilations", "group", "kernel_shape", "offset_group", "pads", "strides"],
    ]

    func makeSelectionRegionOp() throws(Problem) -> Op {
        switch opType {
        case "NonZero": return .selection(.nonZero)
        case "Unique":
            return .selection(.unique(UniqueAttributes(sorted: try flag("sorted", default: 1), axis: try int("axis", default: nil))))
        case "Compress": return .selection(.compress(axis: try int("axis", default: nil)))
        case "NonMaxSuppression": return .selection(.nonMaxSuppression(centerPointBox: try flag("center_point_box", default: 0)))
        case "RoiAlign": return .region(.roiAlign(try roiAlignAttributes()))
        default:
            return .region(.deformConv(DeformConvAttributes(
                kernelShape: try ints("kernel_shape"), strides: try ints("strides"), pads: try ints("pads"),
                dilations: try ints("dilations"), group: try int("group", default: 1), offsetGroup: try int("offset_group", default: 1))))
        }
    }

    private func roiAlignAttributes() throws(Problem) -> RoiAlignAttributes {
        let modeName = try string("mode") ?? "avg"
        guard let mode = RoiAlignAttributes.Mode(rawValue: modeName) else { throw Problem(reason: "mode '\(modeName)' is not avg or max") }
        let transformation = try string("coordinate_transformation_mode") ?? (opset < 16 ? "output_half_pixel" : "half_pixel")
        guard ["half_pixel", "output_half_pixel"].contains(transformation) else {
            throw Problem(reason: "coordinate_transformation_mode '\(transformation)' is not half_pixel or output_half_pixel")
        }
        return RoiAlignAttributes(mode: mode, outputHeight: try int("output_height", default: 1), outputWidth: try int("output_width", default: 1),
                                  samplingRatio: try int("sampling_ratio", default: 0), spatialScale: try float("spatial_scale", default: 1),
                                  halfPixel: transformation == "half_pixel")
    }

    /// A 0/1 integer attribute.
    private func flag(_ name: String, default fallback: Int) throws(Problem) -> Bool {
        let value = try int(name, default: fallback)
        guard value == 0 || value == 1 else { throw Problem(reason: "\(name) must be 0 or 1, got \(value)") }
        return value == 1
    }
}
