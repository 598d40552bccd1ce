import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// MelWeightMatrix (opset 17) against onnxruntime: even and odd DFT lengths, edges at 0 Hz
/// and at the Nyquist frequency, coinciding edges (single ones), float32 and float64
/// weights, and the file written back. Tolerance: the suite's float32 one (the weights are
/// ratios of small integers, correctly rounded on both sides).
@Suite struct MelWeightMatrixVersusOnnxRuntimeTests {
    static func operands(bins: Int, length: Int, rate: Int, lower: Float, upper: Float) -> [Operand] {
        [.constant(Tensor(scalar: Int64(bins))), .constant(Tensor(scalar: Int64(length))), .constant(Tensor(scalar: Int64(rate))),
         .constant(Tensor(scalar: lower)), .constant(Tensor(scalar: upper))]
    }

    @Test(arguments: [
        (8, 16, 8192, Float(0), Float(4096), DType.float32), (40, 512, 16000, 20, 8000, .float32), (13, 511, 22050, 300, 9000, .float64),
        (6, 64, 1000, 100, 100, .float32), (30, 64, 16000, 0, 8000, .float32),
    ])
    func matchesOnnxRuntime(bins: Int, length: Int, rate: Int, lower: Float, upper: Float, dtype: DType) throws {
        let (graph, inputs) = try singleNodeGraph(.signal(.melWeightMatrix(dtype: dtype)),
                                                  Self.operands(bins: bins, length: length, rate: rate, lower: lower, upper: upper))
        let ours = try Session(graph: graph).run(inputs)
        #expect(ours["node"]?.shape == [length / 2 + 1, bins])
        #expect(ours["node"]?.dtype == dtype)
        try expectMatchesOnnxRuntime(graph, inputs, opset: 17, "mel \(bins) bins, dft \(length), \(rate) Hz, \(lower)–\(upper) Hz \(dtype)")
    }

    @Test func roundTrip() throws {
        let (graph, _) = try singleNodeGraph(.signal(.melWeightMatrix(dtype: .float64)),
                                             Self.operands(bins: 8, length: 16, rate: 8192, lower: 0, upper: 4096))
        #expect(try ONNXModel(serialized: try ONNXModel(graph: graph, opsetVersion: 17).serialized()).graph == graph)
    }

    /// A band edge beyond the spectrum (onnxruntime writes outside its output) is refused.
    @Test func refusesAnEdgeAboveNyquist() throws {
        let (graph, _) = try singleNodeGraph(.signal(.melWeightMatrix(dtype: .float32)),
                                             Self.operands(bins: 8, length: 16, rate: 8192, lower: 0, upper: 8000))
        #expect(throws: RuntimeError.self) { try Session(graph: graph) }
    }
}
