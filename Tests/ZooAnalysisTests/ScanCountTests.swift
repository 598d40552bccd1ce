import Testing
import ZooAnalysis
import ZooGraph
import ZooModels
import ZooTensor

/// Scan: the body's cost per step times the sequence length, weights read from the
/// enclosing graph counted at the Scan, once.
@Suite struct ScanCountTests {
    private static let batch = Polynomial(symbol: "batch"), seq = Polynomial(symbol: "seq")

    /// s' = s + x_t·Wᵀ over `[seq, batch, 2]`, W `[2, 2]` read from the enclosing graph and
    /// transposed inside the body; `scans` Scans share W.
    private func runningProduct(scans: Int) throws -> Graph {
        let slice = TensorType(.float32, ["batch", 2])
        let body = Graph(
            name: "step",
            inputs: [ValueInfo(name: "s_prev", type: slice), ValueInfo(name: "x_t", type: slice)],
            outputs: [ValueInfo(name: "s_next", type: slice), ValueInfo(name: "y_t", type: slice)],
            nodes: [Node(name: "w_t", op: .transpose(perm: [1, 0]), inputs: ["w"], outputs: ["w_t"]),
                    Node(name: "product", op: .matMul, inputs: ["x_t", "w_t"], outputs: ["product"]),
                    Node(name: "sum", op: .add, inputs: ["s_prev", "product"], outputs: ["s_next"]),
                    Node(name: "emit", op: .identity, inputs: ["s_next"], outputs: ["y_t"])])
        var graph = Graph(
            name: "running_product",
            inputs: [ValueInfo(name: "s0", type: slice), ValueInfo(name: "x", type: TensorType(.float32, ["seq", "batch", 2]))],
            initializers: [Graph.Initializer(name: "w", tensor: try Tensor(zeros: [2, 2]))])
        for index in 0..<scans {
            var renamed = body
            renamed.nodes = body.nodes.map { node in
                var node = node
                node.outputs = node.outputs.map { "\($0)\(index)" }
                node.inputs = node.inputs.map { ["product", "s_next"].contains($0) ? "\($0)\(index)" : $0 }
                return node
            }
            renamed.nodes[1].inputs[1] = "w_t\(index)"
            renamed.outputs = body.outputs.map { ValueInfo(name: "\($0.name)\(index)", type: $0.type) }
            graph.nodes.append(Node(name: "scan\(index)", op: .scan(ScanAttributes(body: renamed, scanInputCount: 1)),
                                    inputs: ["s0", "x"], outputs: ["final\(index)", "y\(index)"]))
            graph.outputs.append(ValueInfo(name: "y\(index)", type: TensorType(.float32, ["seq", "batch", 2])))
        }
        return graph
    }

    @Test func bodyCostTimesSequenceLengthAsAPolynomial() throws {
        let report = try ComplexityReport(counting: try runningProduct(scans: 1))
        let scan = try #require(report.node("scan0"))
        // Per step: the MatMul batch·2·2 MACs, the Add batch·2 FLOPs; the transposed weight
        // depends on nothing that changes, so it is computed once and costs nothing.
        #expect(scan.macs == (try Polynomial(4) * Self.batch * Self.seq))
        #expect(scan.flops == (try Polynomial(10) * Self.batch * Self.seq))
        #expect(scan.parameters == 4)
        let bound = try ComplexityReport(counting: try runningProduct(scans: 1), options: CountOptions(symbolValues: ["seq": 7, "batch": 3]))
        #expect(bound.node("scan0")?.macs == 84)
    }

    @Test func weightsSharedByBodiesCountOnce() throws {
        let report = try ComplexityReport(counting: try runningProduct(scans: 2))
        #expect(report.node("scan0")?.parameters == 4)
        #expect(report.node("scan1")?.parameters == 0)
        #expect(report.total.parameters == 4)
        #expect(report.unreadParameters.isEmpty)
    }

    @Test func aBodyOpWithoutARuleLeavesTheScanUncounted() throws {
        let rules = CostRules.standard.excluding(opTypes: ["MatMul"])
        #expect(throws: CountError.uncountedOp(node: "scan0", op: "Scan")) {
            try ComplexityReport(counting: try runningProduct(scans: 1), options: CountOptions(rules: rules))
        }
        let report = try ComplexityReport(counting: try runningProduct(scans: 1), options: CountOptions(allowUncounted: true, rules: rules))
        #expect(report.uncounted.map(\.name) == ["scan0"])
        #expect(report.uncountedTotal.parameters == 4)
    }

    /// A projected LSTM layer over input I, H cells and projection P: x_t·Wᵀ (4H·I), h·Rᵀ
    /// (4H·P) and the projection (H·P) per step and batch element, so
    /// seq·batch·(4H(I + P) + H·P) MACs per direction. In ELMo I = P.
    @Test(arguments: [(ELMo(highwayCount: 0, projectionSize: 4, cellSize: 6), 4, 6),
                      (ELMo.original, 512, 4096)])
    func projectedLSTMLayersCostWhatTheFormulaSays(elmo: ELMo, projection: Int, cells: Int) throws {
        let report = try ComplexityReport(counting: try elmo.graph(name: "elmo"))
        let perStep = 4 * cells * (projection + projection) + cells * projection
        let scans = report.nodes.filter { $0.op == "Scan" }
        #expect(scans.count == 4)
        for scan in scans {
            #expect(scan.counts.macs == (try Polynomial(perStep) * Self.batch * Self.seq), "\(scan.name)")
            // W, R, the single bias and P, read by the body from the enclosing graph.
            #expect(scan.counts.parameters == perStep + 4 * cells, "\(scan.name)")
        }
        if cells == 4096 { #expect(perStep == 18_874_368) }
    }

    @Test func clipCostsAComparisonPerBoundAndElement() throws {
        var graph = TestGraph("clip")
        let x = try graph.input("x", ["batch", 8])
        let high = try graph.builder.constant(Tensor(scalar: Float(3)), name: "high")
        let upper = try graph.apply(.clip, x, nil, high, name: "upper")
        let low = try graph.builder.constant(Tensor(scalar: Float(-3)), name: "low")
        let report = try graph.count(try graph.apply(.clip, upper, low, high, name: "both"))
        #expect(report.node("upper")?.flops == (try Polynomial(8) * Self.batch))
        #expect(report.node("both")?.flops == (try Polynomial(16) * Self.batch))
    }
}
