import Testing
import ZooAnalysis
import ZooGraph
import ZooTensor

/// The counting rules of Einsum, Det, the Lp norms, BitCast, DFT, STFT and the windows
/// (CostRules+AlgebraSignal.swift).
@Suite struct AlgebraSignalCostTests {
    private func count(_ op: Op, _ shapes: [[Dim]], constants: [Tensor?] = []) throws -> (macs: Polynomial, flops: Polynomial)? {
        var graph = TestGraph("algebra")
        var inputs: [GraphBuilder.Value?] = []
        for (index, shape) in shapes.enumerated() { inputs.append(try graph.input("x\(index)", shape)) }
        for (index, tensor) in constants.enumerated() {
            inputs.append(try tensor.map { try graph.builder.parameter("operand\(index)", $0) })
        }
        let outputs = try graph.builder.add(op, inputs, name: "node", outputCount: 1)
        let report = try graph.count(outputs[0])
        return report.node("node").map { ($0.macs, $0.flops) }
    }

    @Test func einsumCountsItsContraction() throws {
        // Attention scores: the MACs of the batched MatMul b·h·q·k·d, symbolic batch kept.
        let attention = try count(.algebra(.einsum(try EinsumEquation("bhqd,bhkd->bhqk"))), [["batch", 3, 5, 8], ["batch", 3, 6, 8]])
        #expect(attention?.macs == (try Polynomial(symbol: "batch") * Polynomial(3 * 5 * 6 * 8)))
        // Three operands: two products per point of the index space b·a·n·m.
        let bilinear = try count(.algebra(.einsum(try EinsumEquation("bn,anm,bm->ba"))), [[4, 5], [3, 5, 6], [4, 6]])
        #expect(bilinear?.macs == Polynomial(2 * 4 * 3 * 5 * 6))
        // One operand: a sum of rows is S − E adds; a transpose costs nothing.
        #expect(try count(.algebra(.einsum(try EinsumEquation("ij->i"))), [[3, 4]])?.flops == Polynomial(12 - 3))
        #expect(try count(.algebra(.einsum(try EinsumEquation("ij->ji"))), [[3, 4]])?.flops == Polynomial(0))
    }

    @Test func determinantAndNorms() throws {
        // Two 4×4 matrices: 3·4·7/6 = 14 MACs and 6 + 4 other FLOPs each.
        let det = try count(.algebra(.det), [[2, 4, 4]])
        #expect(det?.macs == Polynomial(28))
        #expect(det?.flops == Polynomial(2 * 28 + 20))
        #expect(try count(.algebra(.lpNormalization(axis: -1, p: 2)), [[2, 6]])?.flops == Polynomial(36))
        #expect(try count(.algebra(.globalLpPool(p: 2)), [[1, 2, 3, 3]])?.flops == Polynomial(3 * 18 + 2))
        #expect(try count(.algebra(.bitCast(to: .int32)), [[2, 6]])?.flops == Polynomial(0))
    }

    @Test func transformsCountTheirFFTs() throws {
        // 3 lines of 16 points: 5·16·4 each. 12 points: Bluestein over 32 points.
        #expect(try count(.signal(.dft(inverse: false, onesided: false, axis: 1)), [[3, 16, 1]])?.flops == Polynomial(3 * 5 * 16 * 4))
        #expect(try count(.signal(.dft(inverse: false, onesided: false, axis: 1)), [[1, 12, 2]])?.flops
                == Polynomial(3 * 5 * 32 * 5 + 18 * 12))
        // STFT: 2 × 7 frames of 16 points, each windowed (16) and transformed.
        let stft = try count(.signal(.stft(onesided: true)), [[2, 64, 1]],
                             constants: [Tensor(scalar: Int64(8)), try Tensor(shape: [16], scalars: [Float](repeating: 1, count: 16))])
        #expect(stft?.flops == Polynomial(2 * 7 * (5 * 16 * 4 + 16)))
        // A window of a size known only at run time: 6 per point of its symbolic length.
        var graph = TestGraph("window")
        let size = try graph.input("size", [], dtype: .int64)
        let window = try graph.builder.add(.signal(.window(.blackman, periodic: true, dtype: .float32)), [size], name: "node", outputCount: 1)
        #expect(try graph.count(window[0]).node("node")?.flops == (try Polynomial(6) * Polynomial(symbol: "node:0")))
    }
}
