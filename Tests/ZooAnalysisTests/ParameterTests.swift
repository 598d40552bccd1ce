import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

@Suite struct ParameterTests {
    /// An embedding table read by the lookup and again by the output layer counts once,
    /// at the first node that reads it.
    @Test func tiedWeightsCountOnce() throws {
        var graph = TestGraph("tied")
        let ids = try graph.input("ids", [5], dtype: .int64)
        let table = try graph.parameter("embedding.weight", [10, 4])
        let embedded = try graph.apply(.gather(), table, ids, name: "embedding")
        let logits = try graph.apply(.gemm(GemmAttributes(transB: true)), embedded, table, name: "decoder")
        let report = try graph.count(logits)
        #expect(report.total.parameters == 40)
        #expect(report.node("embedding")?.parameters == 40)
        #expect(report.node("decoder")?.parameters == 0)
        #expect(report.node("decoder")?.macs == Polynomial(5 * 10 * 4))
    }

    /// BatchNormalization's running mean and variance are parameters, but not trainable.
    @Test func runningStatisticsAreNotTrainable() throws {
        var graph = TestGraph("bn")
        let x = try graph.input("x", [1, 4, 2, 2])
        let y = try graph.conv(x, 6, kernel: 1, bias: true, name: "conv")
        let statistics = try ["weight", "bias", "running_mean", "running_var"].map { try graph.parameter("bn.\($0)", [6]) }
        let report = try graph.count(try graph.apply(.batchNormalization(), y, statistics[0], statistics[1],
                                                     statistics[2], statistics[3], name: "bn"))
        #expect(report.total.parameters == 4 * 6 + 6 + 4 * 6)
        #expect(report.total.trainableParameters == 4 * 6 + 6 + 2 * 6)
        #expect(report.total.nonTrainableParameters == 2 * 6)
        #expect(report.node("bn")?.nonTrainableParameters == 12)
    }

    /// Integer initializers (shapes, indices) are data, not parameters; unread
    /// floating-point initializers are listed, not counted.
    @Test func integerAndUnreadInitializers() throws {
        var graph = TestGraph("initializers")
        let x = try graph.input("x", [2, 6])
        let shape = try graph.builder.parameter("shape", Tensor(shape: [2], scalars: [Int64(3), 4]))
        _ = try graph.parameter("unused.weight", [7])
        let report = try graph.count(try graph.apply(.reshape(), x, shape, name: "reshape"))
        #expect(report.total.parameters == 0)
        #expect(report.unreadParameters == ["unused.weight"])
    }
}
