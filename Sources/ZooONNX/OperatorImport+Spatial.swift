import ZooGraph

// ONNX → IR for GridSample, AffineGrid and Col2Im. GridSample's modes are named bilinear and
// bicubic before opset 20 and linear and cubic from it; a file must use its opset's names.
extension OperatorImport {
    static let spatialKnown: [String: Set<String>] = [
        "GridSample": ["mode", "padding_mode", "align_corners"],
        "AffineGrid": ["align_corners"],
        "Col2Im": ["dilations", "pads", "strides"],
    ]

    func makeSpatialOp() throws(Problem) -> SpatialOp {
        switch opType {
        case "GridSample":
            let modeName = try string("mode") ?? GridSampleAttributes.Mode.linear.onnxName(opset: opset)
            guard let mode = GridSampleAttributes.Mode(onnxName: modeName, opset: opset) else {
                let names = GridSampleAttributes.Mode.allCases.map { $0.onnxName(opset: opset) }
                throw Problem(reason: "mode '\(modeName)' is not one of \(names.joined(separator: ", ")) at opset \(opset)")
            }
            let paddingName = try string("padding_mode") ?? "zeros"
            guard let padding = GridSampleAttributes.Padding(rawValue: paddingName) else {
                throw Problem(reason: "padding_mode '\(paddingName)' is not one of \(GridSampleAttributes.Padding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .gridSample(GridSampleAttributes(mode: mode, padding: padding, alignCorners: try alignCorners()))
        case "AffineGrid":
            return .affineGrid(alignCorners: try alignCorners())
        default:
            return .col2Im(Col2ImAttributes(dilations: try ints("dilations"), pads: try ints("pads"), strides: try ints("strides")))
        }
    }

    private func alignCorners() throws(Problem) -> Bool {
        let value = try int("align_corners", default: 0)
        guard value == 0 || value == 1 else { throw Problem(reason: "align_corners must be 0 or 1, got \(value)") }
        return value == 1
    }
}
