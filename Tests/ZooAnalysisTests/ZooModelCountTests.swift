import Testing
import ZooAnalysis
import ZooModels

/// The zoo's models against published figures (REFERENCE.md).
///
/// torchvision's weight metadata calls these figures "GFLOPS", but they are MACs of
/// convolutions and dense layers at 224x224, batch 1 — what `Counts.macs` counts: bias
/// additions, BatchNorm, pooling and activations add FLOPs but no MACs. The figures are
/// given to two decimals, so they must agree within 1%. The parameter counts are exact and
/// are trainable parameters: torchvision counts `parameters()`, not BatchNorm's running
/// statistics.
@Suite struct ZooModelCountTests {
    struct Published: Sendable, CustomTestStringConvertible {
        var id: String
        var gigaMACs: Double
        var parameters: Int
        var testDescription: String { id }
    }

    static let models = [
        Published(id: "alexnet", gigaMACs: 0.71, parameters: 61_100_840),
        Published(id: "vgg16", gigaMACs: 15.47, parameters: 138_357_544),
        Published(id: "googlenet", gigaMACs: 1.50, parameters: 6_624_904),
        Published(id: "resnet18", gigaMACs: 1.81, parameters: 11_689_512),
        Published(id: "resnet50", gigaMACs: 4.09, parameters: 25_557_032),
        Published(id: "resnet101", gigaMACs: 7.80, parameters: 44_549_160),
        Published(id: "resnet152", gigaMACs: 11.51, parameters: 60_192_808),
    ]

    @Test(arguments: models)
    func macsMatchTorchvisionWithinOnePercent(_ model: Published) throws {
        let graph = try Zoo.model(model.id).graph()
        let report = try ComplexityReport(counting: graph, options: CountOptions(symbolValues: ["batch": 1]))
        let macs = try #require(report.total.macs.constantValue)
        let published = model.gigaMACs * 1e9
        #expect(abs(Double(macs) - published) <= 0.01 * published, "\(macs) MACs")
        #expect(report.total.trainableParameters == model.parameters)
    }

    /// The zoo's course AlexNet reproduces the course table layer by layer (the table
    /// leaves out biases and the 1000-class layer, which add no MACs to these rows).
    @Test func courseAlexNetMatchesTheCourseTable() throws {
        let graph = try Zoo.model("alexnet-course").graph()
        let report = try ComplexityReport(counting: graph, options: CountOptions(symbolValues: ["batch": 1]))
        let macs = { (op: String) in report.nodes.filter { $0.op == op }.map(\.counts.macs) }
        #expect(macs("Conv") == [101_616_768, 415_334_400, 127_401_984, 191_102_976, 127_401_984])
        #expect(macs("Gemm").prefix(2) == [26_214_400, 16_777_216])
    }

    /// BERT-base with batch and sequence length symbolic: attention's QKᵀ and AV give
    /// 2·L·H MACs per batch·seq², the dense layers 12·L·H² per token (4H² for Q, K, V and the
    /// output projection, 8H² for the 4H-wide feed-forward), the pooler H² per sequence.
    @Test func bertBaseMACsArePolynomialInBatchAndSequence() throws {
        let report = try ComplexityReport(counting: try Zoo.model("bert-base").graph())
        let (layers, hidden) = (12, 768)
        let batch = Polynomial(symbol: "batch"), seq = Polynomial(symbol: "seq")
        let expected = try Polynomial(2 * layers * hidden) * batch * seq * seq
            + Polynomial(12 * layers * hidden * hidden) * batch * seq + Polynomial(hidden * hidden) * batch
        #expect(report.total.macs == expected)
        #expect(report.total.macs.description == "18432·batch·seq² + 84934656·batch·seq + 589824·batch")
        #expect(report.total.trainableParameters == 109_482_240)
    }
}
