import Testing
import ZooAnalysis
import ZooGraph

/// Node counts rolled up by the dot-separated components of their names.
@Suite struct RollUpTests {
    func count(depth: Int) throws -> ComplexityReport {
        var graph = TestGraph("blocks")
        let x = try graph.input("x", [1, 2, 4, 4])
        let stem = try graph.conv(x, 4, kernel: 1, name: "conv1")
        let first = try graph.apply(.relu, try graph.conv(stem, 4, kernel: 1, name: "layer1.0.conv1"), name: "layer1.0.relu")
        let branch = try graph.conv(first, 4, kernel: 3, pad: 1, name: "layer1.1.conv1")
        // A block's own node (its residual addition) is named by the block path itself.
        let second = try graph.apply(.add, branch, first, name: "layer1.1")
        let pooled = try graph.apply(.flatten(), try graph.apply(.globalAveragePool, second, name: "avgpool"), name: "flatten")
        return try graph.count(try graph.dense(pooled, 3, name: "fc"), options: CountOptions(depth: depth))
    }

    @Test func depthOneGroupsByTopLevelBlock() throws {
        let report = try count(depth: 1)
        let blocks = try #require(report.blocks)
        #expect(blocks.map(\.path) == ["conv1", "layer1", "avgpool", "flatten", "fc"])
        let layer1 = blocks[1]
        #expect(layer1.nodeCount == 4)
        #expect(layer1.counts.parameters == 16 + 4 * 4 * 9)
        #expect(layer1.counts.macs == Polynomial(16 * 16 + 16 * 16 * 9))
        #expect(try Polynomial.sum(blocks.map(\.counts.flops)) == report.total.flops)
    }

    @Test func deeperLevelsSplitBlocksAndKeepABlocksOwnNodes() throws {
        let depth2 = try #require(try count(depth: 2).blocks)
        #expect(depth2.map(\.path) == ["conv1", "layer1.0", "layer1.1", "avgpool", "flatten", "fc"])
        #expect(depth2.map(\.nodeCount) == [1, 2, 2, 1, 1, 1])

        let depth3 = try #require(try count(depth: 3).blocks)
        #expect(depth3.map(\.path) == ["conv1", "layer1.0.conv1", "layer1.0.relu", "layer1.1.conv1", "layer1.1",
                                       "avgpool", "flatten", "fc"])
        #expect(depth3[4].counts.flops == 64)  // the addition alone
    }

    @Test func noDepthMeansNoBlocks() throws {
        var graph = TestGraph()
        let report = try graph.count(try graph.apply(.relu, try graph.input("x", [2]), name: "relu"))
        #expect(report.blocks == nil)
    }
}
