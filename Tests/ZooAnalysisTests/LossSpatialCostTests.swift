import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// The losses count 2 FLOPs per label (+ 5 per score for SoftmaxCrossEntropyLoss's
/// log-softmax); GridSample a multiply-add per tap and 4 FLOPs per grid coordinate; AffineGrid
/// 2r FLOPs per output element; Col2Im one add per input element. None has MACs.
@Suite struct LossSpatialCostTests {
    @Test func lossesCountTheirLabelsAndTheLogSoftmax() throws {
        var graph = TestGraph("loss")
        let scores = try graph.input("scores", ["batch", 10])
        let labels = try graph.input("labels", ["batch"], dtype: .int64)
        let report = try graph.count(try graph.apply(.loss(LossAttributes(kind: .softmaxCrossEntropy)), scores, labels, name: "sce"))
        #expect(report.total.macs == 0)
        #expect(report.node("sce")?.flops == (try 52 * Polynomial(symbol: "batch")))
    }

    @Test func samplingCountsTapsAndCoordinates() throws {
        var graph = TestGraph("sample")
        let image = try graph.input("image", [1, 3, 8, 8])
        let grid = try graph.input("grid", [1, 4, 5, 2])
        let report = try graph.count(try graph.apply(.spatial(.gridSample(GridSampleAttributes(mode: .cubic))), image, grid, name: "sample"))
        // 3 · 4 · 5 outputs of 16 taps, 2 FLOPs each; 40 grid coordinates of 4 FLOPs.
        #expect(report.node("sample")?.flops == Polynomial(60 * 32 + 40 * 4))
        #expect(report.total.macs == 0)
    }

    @Test func affineGridAndCol2ImCountTheirArithmetic() throws {
        var graph = TestGraph("grid")
        let theta = try graph.input("theta", [2, 2, 3])
        let report = try graph.count(try graph.apply(.spatial(.affineGrid(alignCorners: true)), theta, try graph.integers([2, 1, 4, 5], name: "size"), name: "grid"))
        #expect(report.node("grid")?.flops == Polynomial(2 * 4 * 5 * 2 * 4))
        var folding = TestGraph("fold")
        let columns = try folding.input("columns", [1, 4, 9])
        let folded = try folding.count(try folding.apply(.spatial(.col2Im(Col2ImAttributes())), columns, try folding.integers([4, 4], name: "image"),
                                                         try folding.integers([2, 2], name: "block"), name: "fold"))
        #expect(folded.node("fold")?.flops == Polynomial(36))
    }
}
