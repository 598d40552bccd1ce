import ZooGraph
import ZooTensor

// Spatial resampling: Resize at every opset, Upsample (7 to 9) and CenterCropPad as
// ResampleOp. The older forms become opset 19's Resize: Upsample and Resize 10 resample
// asymmetrically, nearest taking the floor (the index repeated for integer factors), with
// their scales moved to Resize's third input.
extension OperatorImport {
    static let resampleKnown: [String: Set<String>] = [
        "Resize": ["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                   "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy"],
        "Upsample": ["mode", "scales"],
        "CenterCropPad": ["axes"],
    ]

    mutating func makeResampleOp() throws(Problem) -> ResampleOp {
        switch opType {
        case "CenterCropPad": return .centerCropPad(axes: try ints("axes"))
        case "Upsample":
            guard opset >= 7 else { throw Problem(reason: "Upsample before opset 7 (height and width scales) is not supported") }
            if opset < 9 {
                let scales = try required(floatList("scales").nilIfEmpty, "scales")
                do { appendedInputs.append(("scales", try Tensor(shape: [scales.count], scalars: scales))) } catch {
                    throw Problem(reason: "scales: \(error)")
                }
            }
            inputPositions = [0, 2]
            return .resize(try olderResize())
        default:
            guard opset >= 11 else {
                inputPositions = [0, 2]
                let attributes = try olderResize()
                // Resize 10 leaves nearest downsampling's rounding open, and runtimes differ.
                if attributes.mode == .nearest, constantInput(1)?.doubleValues.allSatisfy({ $0 >= 1 }) != true {
                    throw Problem(reason: "Resize 10 nearest with scales below 1 or not constant (rounding the spec leaves open) is not supported")
                }
                return .resize(attributes)
            }
            var attributes = ResizeAttributes()
            attributes.mode = try choice("mode", default: .nearest)
            attributes.coordinateTransformation = try choice("coordinate_transformation_mode", default: .halfPixel)
            if attributes.coordinateTransformation == .tfHalfPixelForNearest, opset >= 13 {
                throw Problem(reason: "coordinate_transformation_mode 'tf_half_pixel_for_nn' exists up to opset 12")
            }
            if attributes.coordinateTransformation == .halfPixelSymmetric, opset < 19 {
                throw Problem(reason: "coordinate_transformation_mode 'half_pixel_symmetric' exists from opset 19")
            }
            attributes.nearestMode = try choice("nearest_mode", default: .roundPreferFloor)
            attributes.cubicCoefficientA = try float("cubic_coeff_a", default: -0.75)
            attributes.excludeOutside = try int("exclude_outside", default: 0) != 0
            attributes.extrapolationValue = try float("extrapolation_value", default: 0)
            attributes.antialias = try int("antialias", default: 0) != 0
            attributes.axes = try ints("axes")
            attributes.keepAspectRatioPolicy = try choice("keep_aspect_ratio_policy", default: .stretch)
            return .resize(attributes)
        }
    }

    /// Upsample's and Resize 10's `mode`, resampling asymmetrically.
    private func olderResize() throws(Problem) -> ResizeAttributes {
        var attributes = ResizeAttributes()
        attributes.mode = try choice("mode", default: .nearest)
        guard attributes.mode != .cubic else { throw Problem(reason: "mode 'cubic' before Resize 11 is not supported") }
        attributes.coordinateTransformation = .asymmetric
        attributes.nearestMode = .floor
        return attributes
    }

    /// A string attribute naming one case of `Choice`.
    private func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, default fallback: Choice) throws(Problem) -> Choice
        where Choice.RawValue == String {
        guard let text = try string(name) else { return fallback }
        guard let value = Choice(rawValue: text) else {
            throw Problem(reason: "\(name) '\(text)' is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

private extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}
