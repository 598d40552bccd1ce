import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// Counting the ops that select by value, where the count is stated in the data-dependent
/// size, and RoiAlign and DeformConv (CostRules+Selection.swift).
@Suite struct SelectionCostTests {
    @Test func nonMaxSuppressionIsCountedInTheSelectedBoxes() throws {
        var graph = TestGraph("nms")
        let boxes = try graph.input("boxes", [1, 50, 4])
        let scores = try graph.input("scores", [1, 2, 50])
        let report = try graph.count(try graph.builder.apply(.selection(.nonMaxSuppression(centerPointBox: false)), boxes, scores, name: "nms"))
        // 100 candidates: one comparison each, then 15 FLOPs of IoU per kept box.
        #expect(report.node("nms")?.flops == (try Polynomial(100) + 1500 * Polynomial(symbol: "nms:0")))
    }

    @Test func uniqueCountsASortNonZeroOnePass() throws {
        var graph = TestGraph("unique")
        let x = try graph.input("x", [4, 16])
        let outputs = try graph.builder.add(.selection(.unique(UniqueAttributes())), [x], name: "unique", outputCount: 1)
        let nonZero = try graph.builder.apply(.selection(.nonZero), x, name: "nonzero")
        try graph.builder.output(nonZero)
        let report = try graph.count(outputs[0])
        // 64 elements: ⌈log₂ 64⌉ + 1 = 7 comparisons each.
        #expect(report.node("unique")?.flops == Polynomial(64 * 7))
        #expect(report.node("nonzero")?.flops == Polynomial(64))
    }

    @Test func roiAlignAndDeformConvCountTapsAndProducts() throws {
        var graph = TestGraph("regions")
        let image = try graph.input("image", [1, 2, 8, 8])
        let rois = try graph.input("rois", [3, 4])
        let indices = try graph.input("indices", [3], dtype: .int64)
        let pooled = try graph.builder.apply(.region(.roiAlign(RoiAlignAttributes(outputHeight: 2, outputWidth: 2, samplingRatio: 2))),
                                             image, rois, indices, name: "pool")
        let weight = try graph.parameter("w", [4, 2, 3, 3])
        let offset = try graph.input("offset", [1, 18, 6, 6])
        let deformed = try graph.builder.apply(.region(.deformConv(DeformConvAttributes())), image, weight, offset, name: "deform")
        try graph.builder.output(pooled)
        let report = try graph.count(deformed)
        // 24 outputs, 4 samples of 8 FLOPs and the average.
        #expect(report.node("pool")?.flops == Polynomial(24 * 33))
        // 144 outputs × 18 MACs; 1 · 2 · 9 · 36 = 648 sampled values of 8 FLOPs.
        #expect(report.node("deform")?.macs == Polynomial(144 * 18))
        #expect(report.node("deform")?.flops == Polynomial(2 * 144 * 18 + 648 * 8))
    }
}
