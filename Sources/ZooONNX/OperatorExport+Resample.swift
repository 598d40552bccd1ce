import ZooGraph

// Spatial resampling: ResampleOp → ONNX attributes. Resize writes its mode and coordinate
// transformation always (they decide the values), the rest when not the default.
extension ResampleOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .resize(let a):
            var attributes: [(String, AttributeValue)] = [("mode", .string(a.mode.rawValue)),
                                                          ("coordinate_transformation_mode", .string(a.coordinateTransformation.rawValue))]
            if a.mode == .nearest, a.nearestMode != .roundPreferFloor { attributes.append(("nearest_mode", .string(a.nearestMode.rawValue))) }
            if a.mode == .cubic, a.cubicCoefficientA != -0.75 { attributes.append(("cubic_coeff_a", .float(a.cubicCoefficientA))) }
            if a.excludeOutside { attributes.append(("exclude_outside", .int(1))) }
            if a.coordinateTransformation == .tfCropAndResize, a.extrapolationValue != 0 {
                attributes.append(("extrapolation_value", .float(a.extrapolationValue)))
            }
            if a.antialias { attributes.append(("antialias", .int(1))) }
            if let axes = a.axes { attributes.append(("axes", .ints(axes))) }
            if a.keepAspectRatioPolicy != .stretch { attributes.append(("keep_aspect_ratio_policy", .string(a.keepAspectRatioPolicy.rawValue))) }
            return attributes
        case .centerCropPad(let axes): return axes.map { [("axes", .ints($0))] } ?? []
        }
    }
}

// Resize's coordinate transformations that exist at some opsets only; the writer's check
// against OperatorForms refuses the attributes (antialias, axes, keep_aspect_ratio_policy
// before 18) and CenterCropPad before 18.
extension OpsetLowering {
    func checkResample(_ node: Node, _ op: ResampleOp) throws(ONNXError) {
        guard case .resize(let attributes) = op else { return }
        let transformation = attributes.coordinateTransformation
        if (transformation == .halfPixelSymmetric && opset < 19) || transformation == .tfHalfPixelForNearest {
            throw .exportFailed(reason: "node '\(node.name)' (Resize) has no form at opset \(opset): coordinate_transformation_mode '\(transformation.rawValue)' exists \(transformation == .halfPixelSymmetric ? "from opset 19" : "up to opset 12")")
        }
    }
}
