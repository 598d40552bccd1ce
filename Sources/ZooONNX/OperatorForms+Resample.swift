// Spatial resampling: the forms of Resize, Upsample and CenterCropPad by opset (from the onnx
// package's schemas).
extension OperatorForms {
    /// Upsample exists from opset 1, with height and width scales before 7 (the importer
    /// refuses that form).
    static let resampleIntroduced: [String: Int] = ["Resize": 10, "CenterCropPad": 18]

    static let resampleAttributeOpsets: [String: [String: ClosedRange<Int>]] = [
        "Resize": ["coordinate_transformation_mode": 11...Int.max, "nearest_mode": 11...Int.max, "cubic_coeff_a": 11...Int.max,
                   "exclude_outside": 11...Int.max, "extrapolation_value": 11...Int.max, "antialias": 18...Int.max,
                   "axes": 18...Int.max, "keep_aspect_ratio_policy": 18...Int.max],
        "Upsample": ["scales": 7...8],
    ]

    static let resampleInputCounts: [String: [(from: Int, count: ClosedRange<Int>)]] = [
        "Resize": [(10, 2...2), (11, 3...4), (13, 1...4)],
        "Upsample": [(1, 1...1), (9, 2...2)],
    ]
}
