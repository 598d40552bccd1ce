import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// The counting rules of the convolution, pooling and normalisation variants, by hand.
@Suite struct ConvNormCostTests {
    /// ConvTranspose: every input element meets C_out/group filters of kernel area taps.
    /// x [batch, 4, 5, 5], W [4, 3, 3, 3] in 2 groups: 100·batch inputs × 3 × 9 MACs, and
    /// the output [batch, 6, 11, 11] gets one bias FLOP per element.
    @Test func transposedConvolutionCountsItsProducts() throws {
        var graph = TestGraph("deconv")
        let x = try graph.input("x", [.symbolic("batch"), 4, 5, 5])
        let weight = try graph.parameter("weight", [4, 3, 3, 3])
        let bias = try graph.parameter("bias", [6])
        let y = try graph.apply(.convTranspose(ConvTransposeAttributes(strides: [2, 2], group: 2)), x, weight, bias, name: "deconv")
        let report = try graph.count(y)
        let batch = Polynomial(symbol: "batch")
        #expect(report.total.macs == (try batch * Polynomial(100 * 3 * 9)))
        #expect(report.total.flops == (try batch * Polynomial(2 * 100 * 3 * 9 + 6 * 11 * 11)))
        #expect(report.total.parameters == 4 * 3 * 9 + 6)
    }

    @Test func poolingAndNormalisationVariantsCountFLOPs() throws {
        var graph = TestGraph("variants")
        let image = try graph.input("image", [2, 4, 3, 3])
        let channel = { (name: String) throws -> GraphBuilder.Value in try graph.parameter(name, [4]) }
        let instance = try graph.apply(.normalization(.instance(epsilon: 1e-5)), image, channel("in.scale"), channel("in.bias"), name: "instance")
        let grouped = try graph.apply(.normalization(.group(groupCount: 2, epsilon: 1e-5, perGroupAffine: false)), instance,
                                      channel("gn.scale"), channel("gn.bias"), name: "group")
        let rms = try graph.apply(.normalization(.rms(axis: 2, epsilon: 1e-5)), grouped, try graph.parameter("rms.scale", [3, 3]), name: "rms")
        let mvn = try graph.apply(.normalization(.meanVariance(axes: [0, 2, 3])), rms, name: "mvn")
        let lp = try graph.apply(.lpPool(PoolAttributes(kernelShape: [2, 2]), p: 2), mvn, name: "lp")
        let pooled = try graph.apply(.maxPool(PoolAttributes(kernelShape: [2, 2], strides: [2, 2])), lp, name: "pool")
        let unpooled = try graph.apply(.maxUnpool(MaxUnpoolAttributes(kernelShape: [2, 2], strides: [2, 2])), pooled,
                                       try graph.builder.parameter("indices", Tensor(shape: [2, 4, 1, 1], scalars: [Int64](repeating: 0, count: 8))), name: "unpool")
        let report = try graph.count(unpooled)
        let flops: [String: Int] = [
            "instance": 72 * 7 + 8 * 4,     // 7 per element, 4 per (batch, channel)
            "group": 72 * 7 + 4 * 4,        // 4 per (batch, group)
            "rms": 72 * 4 + 8 * 4,          // rows of the last two axes
            "mvn": 72 * 5 + 4 * 4,          // one group per channel
            "lp": 2 * 4 * 2 * 2 * (3 * 4 + 1),
            "pool": 2 * 4 * 1 * 1 * 4,
            "unpool": 0,
        ]
        for (name, expected) in flops {
            #expect(report.node(name)?.flops == Polynomial(expected), "\(name)")
        }
        #expect(report.total.macs == 0)
    }
}
