import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// RoiAlign and DeformConv against onnxruntime, each graph exported by ZooONNX at the case's
/// opset. RoiAlign: avg and max, both coordinate transformations (opset 16) and, at opset 15, the
/// only form before 16 (output_half_pixel), sampling_ratio 0 (⌈bin size⌉ samples) and fixed, spatial_scale, regions
/// reaching past the image and inverted ones. DeformConv (opset 19): without and with
/// padding, stride and dilation, a mask and a bias, several groups and offset groups, and
/// offsets large enough to read outside the image. Tolerance float32 (rtol 1e-4, atol 1e-5).
@Suite struct RegionVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: RegionOp
        let operands: @Sendable () throws -> [Operand]
        var opset = 16
        var testDescription: String { label }
    }

    /// Regions (x1, y1, x2, y2) over a 10 × 12 image at scale 1/2 (20 × 24 in roi units):
    /// inside, reaching past every edge, thin, inverted, and one on the second image.
    static func regionOperands(seed: UInt64) throws -> [Operand] {
        let rois: [Float] = [2, 3, 15, 11, -6, -4, 10, 30, 20, 1, 31, 19, 4, 4, 5, 18, 12, 10, 6, 4, 0, 0, 24, 20]
        return [.input(try random([2, 3, 10, 12], seed: seed)), .input(try floats(rois, shape: [6, 4])),
                .constant(try int64s([0, 1, 0, 1, 1, 0]))]
    }

    static let roiAligns: [Case] = [RoiAlignAttributes.Mode.average, .max].flatMap { mode in
        [true, false].flatMap { halfPixel in
            [0, 2].map { samplingRatio in
                Case(label: "roialign \(mode) half_pixel \(halfPixel) sampling_ratio \(samplingRatio)",
                     op: .roiAlign(RoiAlignAttributes(mode: mode, outputHeight: 3, outputWidth: 4, samplingRatio: samplingRatio,
                                                      spatialScale: 0.5, halfPixel: halfPixel))) { try regionOperands(seed: 1) }
            }
        }
    } + [
        Case(label: "roialign opset 15 (output_half_pixel, the only form before 16)", op: .roiAlign(RoiAlignAttributes(outputHeight: 2, outputWidth: 5, spatialScale: 0.5, halfPixel: false)),
             operands: { try regionOperands(seed: 2) }, opset: 15),
        Case(label: "roialign max at opset 15", op: .roiAlign(RoiAlignAttributes(mode: .max, outputHeight: 4, outputWidth: 4, samplingRatio: 1, spatialScale: 0.5, halfPixel: false)),
             operands: { try regionOperands(seed: 3) }, opset: 15),
        Case(label: "roialign over threads (64 regions, 16 channels)", op: .roiAlign(RoiAlignAttributes(outputHeight: 7, outputWidth: 7, spatialScale: 0.25))) {
            let corners = try random([64, 4], seed: 5, low: 0, high: 120).doubleValues.map { Float($0) }
            var rois: [Float] = []
            for index in stride(from: 0, to: corners.count, by: 4) {
                let (xs, ys) = ([corners[index], corners[index + 2]], [corners[index + 1], corners[index + 3]])
                rois += [xs.min() ?? 0, ys.min() ?? 0, xs.max() ?? 0, ys.max() ?? 0]
            }
            return [.input(try random([2, 16, 32, 32], seed: 4)), .input(try floats(rois, shape: [64, 4])),
                    .input(try int64s((0..<64).map { $0 % 2 }))]
        },
    ]

    /// X `[N, C, H, W]`, W, offsets of ±`reach` pixels (reaching outside the image), bias and mask.
    static func deformOperands(batch: Int = 1, channels: Int, filters: Int, group: Int = 1, offsetGroup: Int = 1,
                               image: [Int], kernel: [Int], output: [Int], reach: Float, bias: Bool, mask: Bool, seed: UInt64) throws -> [Operand] {
        let taps = kernel[0] * kernel[1]
        var operands: [Operand] = [
            .input(try random([batch, channels] + image, seed: seed)),
            .constant(try random([filters, channels / group] + kernel, seed: seed + 1)),
            .input(try random([batch, offsetGroup * 2 * taps] + output, seed: seed + 2, low: -reach, high: reach)),
            bias ? .constant(try random([filters], seed: seed + 3)) : .absent,
        ]
        if mask { operands.append(.input(try random([batch, offsetGroup * taps] + output, seed: seed + 4, low: 0, high: 1))) }
        while case .absent = operands.last { operands.removeLast() }
        return operands
    }

    static let deformConvs: [Case] = [
        Case(label: "deform conv without padding", op: .deformConv(DeformConvAttributes(kernelShape: [2, 2])), operands: {
            try deformOperands(channels: 1, filters: 1, image: [3, 3], kernel: [2, 2], output: [2, 2], reach: 1, bias: false, mask: false, seed: 10)
        }, opset: 19),
        Case(label: "deform conv with padding, stride and dilation", op: .deformConv(DeformConvAttributes(strides: [2, 1], pads: [1, 2, 1, 0], dilations: [1, 2])), operands: {
            // Rows: (7 + 2 − 3) / 2 + 1 = 4; columns: (6 + 2 − 5) / 1 + 1 = 4.
            try deformOperands(batch: 2, channels: 3, filters: 4, image: [7, 6], kernel: [3, 3], output: [4, 4], reach: 2.5, bias: false, mask: false, seed: 20)
        }, opset: 19),
        Case(label: "deform conv with mask and bias", op: .deformConv(DeformConvAttributes(pads: [1, 1, 1, 1])), operands: {
            try deformOperands(channels: 2, filters: 3, image: [5, 5], kernel: [3, 3], output: [5, 5], reach: 1.5, bias: true, mask: true, seed: 30)
        }, opset: 19),
        Case(label: "deform conv with 2 groups and 2 offset groups", op: .deformConv(DeformConvAttributes(group: 2, offsetGroup: 2)), operands: {
            try deformOperands(batch: 2, channels: 4, filters: 6, group: 2, offsetGroup: 2, image: [6, 5], kernel: [2, 3], output: [5, 3],
                               reach: 3, bias: true, mask: true, seed: 40)
        }, opset: 19),
        Case(label: "deform conv over threads (16 → 32 channels, 24 × 24)", op: .deformConv(DeformConvAttributes(pads: [1, 1, 1, 1], offsetGroup: 4)), operands: {
            try deformOperands(channels: 16, filters: 32, offsetGroup: 4, image: [24, 24], kernel: [3, 3], output: [24, 24], reach: 2, bias: true, mask: true, seed: 50)
        }, opset: 19),
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.region(testCase.op), try testCase.operands())
        try expectMatchesOnnxRuntime(graph, inputs, opset: testCase.opset, testCase.label)
    }

    @Test(arguments: roiAligns) func roiAlign(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: deformConvs) func deformConv(_ testCase: Case) throws { try Self.check(testCase) }

    @Test func aBatchIndexOutsideTheBatchStopsTheRunNamingTheNode() throws {
        var operands = try Self.regionOperands(seed: 6)
        operands[2] = .input(try int64s([0, 1, 0, 2, 1, 0]))
        let (graph, inputs) = try singleNodeGraph(.region(.roiAlign(RoiAlignAttributes())), operands)
        #expect(throws: RuntimeError.shape(node: "node", op: "RoiAlign", message: "batch index 2 of region 3 is outside [0, 2)")) {
            try Session(graph: graph).run(inputs)
        }
    }

    @Test func anImageWithoutPixelsIsRefused() throws {
        let (graph, inputs) = try singleNodeGraph(.region(.roiAlign(RoiAlignAttributes())),
                                                  [.input(try Tensor(zeros: [1, 2, 0, 4])), .input(try random([1, 4], seed: 8)), .input(try int64s([0]))])
        #expect(throws: RuntimeError.shape(node: "node", op: "RoiAlign", message: "X float32[1, 2, 0, 4] has no pixels to sample 1 regions from")) {
            try Session(graph: graph).run(inputs)
        }
    }

    @Test func halfPixelHasNoFormBeforeOpset16() throws {
        let (graph, _) = try singleNodeGraph(.region(.roiAlign(RoiAlignAttributes())), try Self.regionOperands(seed: 7))
        #expect(throws: ONNXError.self) { try ONNXModel(graph: graph, opsetVersion: 15).serialized() }
    }
}
