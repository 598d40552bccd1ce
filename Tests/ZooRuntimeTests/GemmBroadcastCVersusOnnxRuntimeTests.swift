import Testing
import ZooGraph
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Gemm with every C ONNX allows against onnxruntime: run-time or constant, each shape that
/// broadcasts to [M, N] (scalar, [N], [1, N], [M, 1], [M, N]), any alpha and beta, with and
/// without the fused activation the passes give it. Tolerance: the suite's fp32 one.
@Suite struct GemmBroadcastCVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let attributes: GemmAttributes
        let cShape: [Int]
        var constantC = false
        var constantB = true
        /// The kernel the case compiles to without passes.
        var kernel = "GemmBroadcastCKernel"
        var testDescription: String { label }
    }

    /// A is [M, K] = [3, 5] (transposed when transA), B [K, N] = [5, 4] (or [N, K]).
    static let cases: [Case] = [
        Case(label: "run-time scalar C", attributes: GemmAttributes(), cShape: []),
        Case(label: "run-time [N] C, beta 0.5", attributes: GemmAttributes(beta: 0.5), cShape: [4]),
        Case(label: "run-time [1, N] C, alpha 2, beta 3, transA", attributes: GemmAttributes(alpha: 2, beta: 3, transA: true), cShape: [1, 4]),
        Case(label: "run-time [M, 1] C, transB", attributes: GemmAttributes(transB: true), cShape: [3, 1]),
        Case(label: "run-time [M, N] C, beta 2, run-time B", attributes: GemmAttributes(beta: 2), cShape: [3, 4], constantB: false),
        Case(label: "run-time [1] C, beta 0", attributes: GemmAttributes(beta: 0), cShape: [1]),
        Case(label: "run-time [M, N] C, beta 1 (a post-op as it stands)", attributes: GemmAttributes(), cShape: [3, 4],
             kernel: "MatMulKernel"),
        Case(label: "constant [M, N] C, beta 0.5", attributes: GemmAttributes(beta: 0.5), cShape: [3, 4], constantC: true),
        Case(label: "constant [M, 1] C", attributes: GemmAttributes(), cShape: [3, 1], constantC: true),
        Case(label: "constant [N] C, alpha 2, run-time B", attributes: GemmAttributes(alpha: 2), cShape: [4], constantC: true,
             constantB: false),
        Case(label: "constant [1, N] C, alpha 2 (the primitive's bias)", attributes: GemmAttributes(alpha: 2, beta: 0.25),
             cShape: [1, 4], constantC: true, kernel: "MatMulKernel"),
    ]

    static func operands(_ testCase: Case) throws -> [Operand] {
        let a = try random(testCase.attributes.transA ? [5, 3] : [3, 5], seed: 300)
        let b = try random(testCase.attributes.transB ? [4, 5] : [5, 4], seed: 301)
        let c = try random(testCase.cShape, seed: 302)
        return [.input(a), testCase.constantB ? .constant(b) : .input(b), testCase.constantC ? .constant(c) : .input(c)]
    }

    @Test(arguments: cases) func gemm(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(.gemm(testCase.attributes), try Self.operands(testCase))
        let options = SessionOptions(passes: [])
        try expectMatchesOnnxRuntime(graph, inputs, options: options, testCase.label)
        let summary = try Session(graph: graph, options: options).summary(inputShapes: inputs.mapValues(\.shape))
        #expect(summary.kernels == [testCase.kernel], "\(testCase.label)")
    }

    /// With the passes on, a Relu after the Gemm joins its epilogue: it must act on the sum
    /// with beta·C, not before it.
    @Test(arguments: [[Int](), [3, 1], [4]]) func fusedReluAfterC(cShape: [Int]) throws {
        var builder = GraphBuilder(name: "gemm-relu")
        let a = try builder.input("a", TensorType(.float32, [3, 5]))
        let b = try builder.parameter("b", try random([5, 4], seed: 303))
        let c = try builder.input("c", TensorType(.float32, cShape.map(Dim.fixed)))
        let product = try builder.add(.gemm(GemmAttributes(alpha: 0.5, beta: 2)), [a, b, c], name: "gemm", outputCount: 1)[0]
        try builder.output(try builder.add(.relu, [product], name: "relu", outputCount: 1)[0])
        let graph = try builder.build()
        let inputs = ["a": try random([3, 5], seed: 304), "c": try random(cShape, seed: 305)]
        try expectMatchesOnnxRuntime(graph, inputs, "C \(cShape), fused Relu")
        let summary = try Session(graph: graph).summary(inputShapes: inputs.mapValues(\.shape))
        #expect(summary.kernels == ["GemmBroadcastCKernel"], "C \(cShape): one kernel with the Relu fused")
    }
}
