import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// Resize counts its interpolation taps: no MACs, 2 FLOPs (a multiply and an add) per tap
/// and output element, the taps multiplied over the axes whose length changes; nearest and
/// CenterCropPad only copy.
@Suite struct ResampleCostTests {
    static func resize(_ mode: ResizeMode, antialias: Bool = false) -> Op {
        var attributes = ResizeAttributes()
        attributes.mode = mode
        attributes.antialias = antialias
        return .resample(.resize(attributes))
    }

    @Test func linearAndCubicCountTheirTapsNearestIsFree() throws {
        var graph = TestGraph("resample")
        let x = try graph.input("x", ["batch", 4, 6, 8])
        let scales = try graph.builder.constant(try Tensor(shape: [4], scalars: [Float(1), 1, 2, 2]), name: "scales")
        let halves = try graph.builder.constant(try Tensor(shape: [4], scalars: [Float(1), 1, 0.5, 1]), name: "halves")
        let nearest = try graph.apply(Self.resize(.nearest), x, nil, scales, name: "nearest")        // [b, 4, 12, 16]
        let linear = try graph.apply(Self.resize(.linear), nearest, nil, halves, name: "linear")     // [b, 4, 6, 16]
        let cubic = try graph.apply(Self.resize(.cubic), linear, nil, scales, name: "cubic")         // [b, 4, 12, 32]
        let smooth = try graph.apply(Self.resize(.linear, antialias: true), cubic, nil, halves, name: "antialias")  // [b, 4, 6, 32]
        let cropped = try graph.apply(.resample(.centerCropPad(axes: [2, 3])), smooth, try graph.integers([5, 40], name: "shape"), name: "crop")
        let report = try graph.count(cropped)
        let batch = Polynomial(symbol: "batch")
        #expect(report.total.macs == 0)
        #expect(report.node("nearest")?.flops == .zero)
        #expect(report.node("crop")?.flops == .zero)
        // One resized axis of 2 taps: 2 · 2 FLOPs for each of 4 · 6 · 16 outputs.
        #expect(report.node("linear")?.flops == (try 1536 * batch))
        // Two resized axes of 4 taps: 2 · 16 FLOPs for each of 4 · 12 · 32 outputs.
        #expect(report.node("cubic")?.flops == (try 49152 * batch))
        // Antialias halving an axis widens linear's 2 taps to 2 − 2·(⌊−1/0.5⌋ + 1) = 4.
        #expect(report.node("antialias")?.flops == (try 6144 * batch))
    }
}
