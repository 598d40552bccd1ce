import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Resize and CenterCropPad against onnxruntime and against onnx's reference evaluator
/// (onnx.reference, the spec's own implementation) on seeded inputs, each graph exported by
/// ZooONNX at opset 19 (the form holding every attribute): every mode (nearest with each
/// rounding, linear, cubic) under every coordinate transformation, upsampling and
/// downsampling by non-integer scales, sizes with each keep-aspect-ratio policy, axes,
/// antialias, exclude_outside and cubic_coeff_a, tf_crop_and_resize's roi and
/// extrapolation value, 1-D to 5-D inputs, dtypes of 1, 2, 4 and 8 bytes for nearest, and
/// cases large enough to split over threads. Nearest copies, so it must match exactly;
/// linear and cubic sum float32 products in another order than the references (which sum
/// in float64), within the float32 tolerance (rtol 1e-4, atol 1e-5).
///
/// The reference evaluator is the spec; onnxruntime departs from it in places, measured on
/// these inputs (Tests/interop/resize_disagreements.py lists them), and is left out there:
/// under align_corners and tf_crop_and_resize it divides by the integer output length
/// where the spec divides by scale · input length; it computes nearest's source coordinates
/// in float32 and rounds some ties otherwise; it refuses linear on 1-D inputs, cubic on 5-D
/// ones and int64 data.
@Suite struct ResampleVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: ResampleOp
        let operands: @Sendable () throws -> [Operand]
        /// The references that define this variant; onnxruntime is left out where it
        /// departs from the spec, and the case says why.
        var evaluators: [OnnxRuntimeReference.Evaluator] = [.onnxruntime, .onnxReference]
        var testDescription: String { label }
    }

    static func resize(_ mode: ResizeMode, _ transformation: CoordinateTransformation,
                       _ configure: (inout ResizeAttributes) -> Void = { _ in }) -> ResampleOp {
        var attributes = ResizeAttributes()
        attributes.mode = mode
        attributes.coordinateTransformation = transformation
        configure(&attributes)
        return .resize(attributes)
    }

    /// X, then roi, scales and sizes as constants (`.absent` where not given).
    static func operands(_ input: Tensor, roi: [Float]? = nil, scales: [Float]? = nil, sizes: [Int]? = nil) throws -> [Operand] {
        var operands: [Operand] = [.input(input), try roi.map { .constant(try floats($0, shape: [$0.count])) } ?? .absent,
                                   try scales.map { .constant(try floats($0, shape: [$0.count])) } ?? .absent]
        if let sizes { operands.append(.constant(try int64s(sizes))) }
        while case .absent = operands.last { operands.removeLast() }
        return operands
    }

    /// Every mode under every coordinate transformation, up and down by non-integer scales
    /// on a 4-D input (tf_crop_and_resize within a region reaching outside the input).
    static let modesAndTransformations: [Case] = {
        let modes: [(String, ResizeMode, NearestMode)] = [
            ("nearest round_prefer_floor", .nearest, .roundPreferFloor), ("nearest round_prefer_ceil", .nearest, .roundPreferCeil),
            ("nearest floor", .nearest, .floor), ("nearest ceil", .nearest, .ceil), ("linear", .linear, .roundPreferFloor),
            ("cubic", .cubic, .roundPreferFloor),
        ]
        var cases: [Case] = []
        for (name, mode, nearestMode) in modes {
            for transformation in CoordinateTransformation.allCases where transformation != .tfHalfPixelForNearest {
                for (direction, scales) in [("up", [Float(1), 1, 1.7, 2.3]), ("down", [1, 1, 0.6, 0.45])] {
                    let op = resize(mode, transformation) { $0.nearestMode = nearestMode; $0.extrapolationValue = -3 }
                    let roi: [Float]? = transformation == .tfCropAndResize ? [0, 0, -0.2, 0.1, 1, 1, 0.9, 1.3] : nil
                    let runtimeAgrees = mode != .nearest && transformation != .alignCorners && transformation != .tfCropAndResize
                    cases.append(Case(label: "\(name), \(transformation.rawValue), \(direction)", op: op, operands: {
                        try operands(try random([2, 3, 7, 9], seed: 1), roi: roi, scales: scales)
                    }, evaluators: runtimeAgrees ? [.onnxruntime, .onnxReference] : [.onnxReference]))
                }
            }
        }
        return cases
    }()

    static let variants: [Case] = [
        // Antialias widens the filter to 1/scale cells when downsampling. onnxruntime's
        // antialiased filters are normalised and placed as the spec's, for linear and cubic.
        Case(label: "linear antialias down 0.33 × 0.6", op: resize(.linear, .halfPixel) { $0.antialias = true }) {
            try operands(try random([1, 2, 20, 15], seed: 2), scales: [1, 1, 0.33, 0.6])
        },
        Case(label: "cubic antialias down to sizes", op: resize(.cubic, .halfPixel) { $0.antialias = true }) {
            try operands(try random([1, 2, 19, 23], seed: 3), sizes: [1, 2, 6, 7])
        },
        Case(label: "linear antialias up (no widening)", op: resize(.linear, .pytorchHalfPixel) { $0.antialias = true }) {
            try operands(try random([1, 1, 4, 5], seed: 4), scales: [1, 1, 2.5, 1.5])
        },
        Case(label: "linear antialias, align_corners, 3-D", op: resize(.linear, .alignCorners) { $0.antialias = true }, operands: {
            try operands(try random([2, 3, 17], seed: 5), scales: [1, 1, 0.3])
        }, evaluators: [.onnxReference]),
        Case(label: "cubic A -0.5 exclude_outside down", op: resize(.cubic, .halfPixel) { $0.cubicCoefficientA = -0.5; $0.excludeOutside = true }) {
            try operands(try random([1, 2, 9, 8], seed: 6), scales: [1, 1, 0.7, 0.55])
        },
        Case(label: "cubic exclude_outside up, asymmetric", op: resize(.cubic, .asymmetric) { $0.excludeOutside = true }) {
            try operands(try random([1, 2, 5, 4], seed: 7), scales: [1, 1, 2.2, 3])
        },
        Case(label: "sizes stretch, linear", op: resize(.linear, .halfPixel)) {
            try operands(try random([2, 3, 6, 7], seed: 8), sizes: [2, 3, 11, 4])
        },
        Case(label: "sizes not_larger, axes 2 3, nearest", op: resize(.nearest, .halfPixel) { $0.keepAspectRatioPolicy = .notLarger; $0.axes = [2, 3] }) {
            try operands(try random([1, 2, 6, 9], seed: 9), sizes: [10, 10])
        },
        Case(label: "sizes not_smaller, axes 3 2, linear", op: resize(.linear, .halfPixel) { $0.keepAspectRatioPolicy = .notSmaller; $0.axes = [3, 2] }) {
            try operands(try random([1, 2, 6, 9], seed: 10), sizes: [5, 5])
        },
        // The reference evaluator cannot transpose by negative axes.
        Case(label: "axes -1 -2 scales, linear", op: resize(.linear, .halfPixel) { $0.axes = [-1, -2] }, operands: {
            try operands(try random([1, 2, 6, 9], seed: 25), scales: [0.5, 1.5])
        }, evaluators: [.onnxruntime]),
        Case(label: "axes 3 2 scales, cubic", op: resize(.cubic, .halfPixel) { $0.axes = [3, 2] }) {
            try operands(try random([1, 3, 5, 6], seed: 11), scales: [2, 0.8])
        },
        Case(label: "tf_crop_and_resize, axes 2 3, extrapolation 7", op: resize(.linear, .tfCropAndResize) { $0.axes = [2, 3]; $0.extrapolationValue = 7 }) {
            try operands(try random([1, 2, 8, 8], seed: 12), roi: [0.3, -0.4, 1.2, 0.6], sizes: [5, 6])
        },
        Case(label: "tf_crop_and_resize to length 1, nearest", op: resize(.nearest, .tfCropAndResize)) {
            try operands(try random([1, 1, 6, 6], seed: 13), roi: [0, 0, 0.2, 0.4, 1, 1, 0.6, 0.9], sizes: [1, 1, 1, 3])
        },
        Case(label: "align_corners to length 1, linear", op: resize(.linear, .alignCorners)) {
            try operands(try random([1, 1, 5, 6], seed: 14), sizes: [1, 1, 1, 4])
        },
        Case(label: "pytorch_half_pixel to length 1, cubic", op: resize(.cubic, .pytorchHalfPixel), operands: {
            try operands(try random([1, 1, 5, 6], seed: 15), sizes: [1, 1, 1, 4])
        }, evaluators: [.onnxReference]),
        Case(label: "1-D linear", op: resize(.linear, .halfPixel), operands: {
            try operands(try random([13], seed: 16), scales: [1.6])
        }, evaluators: [.onnxReference]),
        Case(label: "3-D nearest on every axis", op: resize(.nearest, .asymmetric)) {
            try operands(try random([3, 4, 5], seed: 17), scales: [2, 0.5, 1.5])
        },
        Case(label: "5-D trilinear up", op: resize(.linear, .halfPixel)) {
            try operands(try random([1, 2, 3, 4, 5], seed: 18), scales: [1, 1, 2, 1.5, 2])
        },
        Case(label: "5-D cubic down, pytorch_half_pixel", op: resize(.cubic, .pytorchHalfPixel), operands: {
            try operands(try random([1, 2, 6, 7, 8], seed: 19), scales: [1, 1, 0.5, 0.75, 0.6])
        }, evaluators: [.onnxReference]),
        Case(label: "scale 1 on the spatial axes is a copy, linear", op: resize(.linear, .halfPixel)) {
            try operands(try random([2, 3, 4, 5], seed: 20), scales: [1, 1, 1, 1])
        },
        // Large enough to split over threads: an FPN's nearest 2x and a U-Net's bilinear 2x.
        Case(label: "nearest 2x (FPN), all threads", op: resize(.nearest, .asymmetric) { $0.nearestMode = .floor }) {
            try operands(try random([1, 64, 40, 40], seed: 21), scales: [1, 1, 2, 2])
        },
        Case(label: "bilinear 2x half_pixel (U-Net), all threads", op: resize(.linear, .halfPixel)) {
            try operands(try random([1, 32, 40, 48], seed: 22), scales: [1, 1, 2, 2])
        },
        Case(label: "bilinear align_corners down, all threads", op: resize(.linear, .alignCorners)) {
            try operands(try random([2, 16, 64, 64], seed: 23), sizes: [2, 16, 37, 29])
        },
        Case(label: "nearest, int8", op: resize(.nearest, .halfPixel)) {
            try operands(try Tensor(shape: [1, 2, 3, 4], scalars: (0..<24).map { Int8($0 - 12) }), scales: [1, 1, 1.5, 2.5])
        },
        Case(label: "nearest, uint8", op: resize(.nearest, .alignCorners) { $0.nearestMode = .ceil }) {
            try operands(try Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map { UInt8($0 * 7) }), sizes: [1, 1, 7, 3])
        },
        Case(label: "nearest, int32", op: resize(.nearest, .asymmetric) { $0.nearestMode = .floor }) {
            try operands(try Tensor(shape: [2, 5], scalars: (0..<10).map { Int32($0 * 1000 - 3) }), scales: [1, 2])
        },
        Case(label: "nearest, int64", op: resize(.nearest, .halfPixel), operands: {
            try operands(try int64s(Array(0..<12), shape: [1, 1, 3, 4]), scales: [1, 1, 2, 0.5])
        }, evaluators: [.onnxReference]),
        Case(label: "nearest, float16", op: resize(.nearest, .halfPixel)) {
            try operands(try Tensor(shape: [1, 1, 2, 3], scalars: (0..<6).map { Float16(Float($0) / 4) }), scales: [1, 1, 3, 2])
        },
        Case(label: "center crop and pad, every axis", op: .centerCropPad(axes: nil)) {
            [.input(try random([5, 6, 3], seed: 24)), .constant(try int64s([3, 9, 3]))]
        },
        Case(label: "center crop odd difference, axes -2 -1, uint8", op: .centerCropPad(axes: [-2, -1])) {
            [.input(try Tensor(shape: [2, 7, 6], scalars: (0..<84).map { UInt8($0) })), .constant(try int64s([4, 9]))]
        },
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.resample(testCase.op), try testCase.operands())
        let exact: Bool
        if case .resize(let attributes) = testCase.op { exact = attributes.mode == .nearest } else { exact = true }
        for evaluator in testCase.evaluators {
            try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), evaluator: evaluator,
                                         tolerance: exact ? .exact : .float32, opset: 19, "\(testCase.label) (\(evaluator))")
        }
    }

    @Test(arguments: modesAndTransformations) func modeAndTransformation(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: variants) func variant(_ testCase: Case) throws { try Self.check(testCase) }
}
