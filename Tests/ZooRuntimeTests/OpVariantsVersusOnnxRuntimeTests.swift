import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Operator variants against onnxruntime: Swish (opset 24), Scatter (opset 10, read as
/// ScatterElements and written back as it), Dropout in training mode with a ratio of 0,
/// MaxPool of int8 and uint8 (exact), BatchNormalization in training mode, float16 Range.
/// Tolerance: the suite's fp32 one (rtol 1e-4, atol 1e-5); float16 rtol and atol 1e-3, two
/// of its ulps near 1, as results rounded to half once here and maybe twice there.
@Suite struct OpVariantsVersusOnnxRuntimeTests {
    static func check(_ op: Op, _ input: Tensor, opset: Int, tolerance: Tolerance = .float32, _ label: String) throws {
        let (graph, inputs) = try singleNodeGraph(op, [.input(input)])
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), tolerance: tolerance, opset: opset, label)
    }

    /// x·σ(alpha·x) over [-12, 12): both tails, where exp overflows and underflows.
    @Test(arguments: [Float(1), 0.5, -2]) func swish(alpha: Float) throws {
        try Self.check(.unary(.swish(alpha: alpha)), try random([3, 37], seed: 370, low: -12, high: 12), opset: 24, "swish alpha \(alpha)")
        let doubles = try random([2, 9], seed: 371, low: -12, high: 12).doubleValues
        try Self.check(.unary(.swish(alpha: alpha)), try Tensor(shape: [2, 9], scalars: doubles), opset: 24, "swish float64 alpha \(alpha)")
    }

    @Test func swishFloat16() throws {
        let halves = try random([4, 11], seed: 372, low: -6, high: 6).doubleValues.map { Float16($0) }
        try Self.check(.unary(.swish()), try Tensor(shape: [4, 11], scalars: halves), opset: 24, tolerance: Tolerance(rtol: 1e-3, atol: 1e-3),
                       "swish float16")
    }

    @Test func swishHasNoFormBeforeOpset24() throws {
        let (graph, _) = try singleNodeGraph(.unary(.swish()), [.input(try random([3], seed: 373))])
        #expect(throws: ONNXError.self) { try ONNXModel(graph: graph, opsetVersion: 23).serialized() }
    }

    /// The opset-10 Scatter file imports as ScatterElements, runs as onnxruntime runs the
    /// file, and is written back (at the default opset) as ScatterElements.
    @Test func scatterReadsAsScatterElements() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/scatter.onnx"
        _ = try Python.run(script: "make_variant_onnx.py", [path, "scatter"])
        let graph = try ONNXModel.read(from: path).graph
        #expect(graph.nodes.map(\.op) == [.movement(.scatterElements(axis: 1, reduction: .none))])
        let inputs = ["data": try random([3, 4], seed: 374), "indices": try int64s([0, 3, -1, 1, 2, 0], shape: [3, 2]),
                      "updates": try random([3, 2], seed: 375)]
        let ours = try Session(graph: graph).run(inputs)
        expectClose(ours, try OnnxRuntimeReference.run(graph, inputs), "exported as ScatterElements")
        let written = try ONNXModel(serialized: try ONNXModel(graph: graph).serialized()).graph
        #expect(written.nodes.map(\.op) == graph.nodes.map(\.op))
    }

    /// Training mode with a constant ratio of 0 drops nothing: the input and an all-true
    /// mask, as onnxruntime gives; any other ratio draws a random mask, which is refused.
    @Test func dropoutTrainingWithRatioZero() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/dropout.onnx"
        _ = try Python.run(script: "make_variant_onnx.py", [path, "dropout"])
        let graph = try ONNXModel.read(from: path).graph
        try expectMatchesOnnxRuntime(graph, ["x": try random([2, 5], seed: 376)], opset: 22, "dropout ratio 0")
        _ = try Python.run(script: "make_variant_onnx.py", [path, "dropout", "0.5"])
        let error = #expect(throws: ONNXError.self) { try ONNXModel.read(from: path) }
        #expect("\(error.map(String.init(describing:)) ?? "")".contains(DropoutTraining.refusal))
    }

    /// Values known only at run time are the kernel's to check: the same refusal there.
    @Test func dropoutTrainingRefusedByTheKernel() throws {
        let (graph, inputs) = try singleNodeGraph(.dropout, [.input(try random([4], seed: 377)), .constant(Tensor(scalar: Float(0.25))),
                                                             .constant(Tensor(scalar: true))], outputCount: 2)
        let error = #expect(throws: RuntimeError.self) { _ = try Session(graph: graph).run(inputs) }
        #expect(error.map(String.init(describing:))?.contains(DropoutTraining.refusal) == true)
    }

    /// int8 and uint8 pools, exact: 2-D with pads (oneDNN's path), with the Indices output
    /// and dilation (our own loop), and 1-D with ceil_mode.
    @Test(arguments: [DType.int8, .uint8]) func eightBitMaxPool(dtype: DType) throws {
        func values(_ shape: [Int], seed: UInt64) throws -> Tensor {
            let draws = try random(shape, seed: seed, low: -128, high: 128).doubleValues.map { Int($0.rounded(.down)) }
            return dtype == .int8 ? try Tensor(shape: shape, scalars: draws.map { Int8(clamping: $0) })
                                  : try Tensor(shape: shape, scalars: draws.map { UInt8(clamping: $0 + 128) })
        }
        let x = try values([2, 3, 7, 9], seed: 378)
        let options = SessionOptions(passes: [])
        for (label, attributes, outputCount) in [
            ("5x5 pads 2", PoolAttributes(kernelShape: [5, 5], pads: [2, 2, 2, 2]), 1),
            ("3x3 stride 2 dilation 2 with indices", PoolAttributes(kernelShape: [3, 3], strides: [2, 2], pads: [1, 0, 1, 0], dilations: [2, 2]), 2),
        ] {
            let (graph, inputs) = try singleNodeGraph(.maxPool(attributes), [.input(x)], outputCount: outputCount)
            try expectMatchesOnnxRuntime(graph, inputs, options: options, tolerance: .exact, opset: 22, "\(dtype) \(label)")
        }
        let (graph, inputs) = try singleNodeGraph(.maxPool(PoolAttributes(kernelShape: [3], strides: [2], ceilMode: true)),
                                                  [.input(try values([1, 2, 10], seed: 379))])
        try expectMatchesOnnxRuntime(graph, inputs, options: options, tolerance: .exact, opset: 22, "\(dtype) 1-D ceil_mode")
    }

    /// Training mode: the batch's statistics normalise, and the running mean and variance
    /// follow the momentum; NCHW with a batch of 3, and a rank-2 input, at opset 15.
    @Test(arguments: [[3, 4, 5, 6], [7, 4]]) func batchNormalizationTraining(shape: [Int]) throws {
        let operands: [Operand] = [.input(try random(shape, seed: 380, low: -2, high: 3)), .constant(try random([4], seed: 381)),
                                   .constant(try random([4], seed: 382)), .input(try random([4], seed: 383)),
                                   .input(try random([4], seed: 384, low: 0.5, high: 2))]
        let (graph, inputs) = try singleNodeGraph(.normalization(.batchTraining(epsilon: 1e-3, momentum: 0.8)), operands, outputCount: 3)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), opset: 15, "batch normalization training \(shape)")
    }

    /// float16 bounds (Range takes them from opset 27), a step that is not a power of two (0.3 rounds to 0.2998 in half), 17
    /// elements: the same values as onnxruntime to the float16 tolerance.
    @Test func rangeOfFloat16() throws {
        let (graph, inputs) = try singleNodeGraph(.range, [.constant(Tensor(scalar: Float16(-1.5))), .constant(Tensor(scalar: Float16(3.5))),
                                                           .constant(Tensor(scalar: Float16(0.3)))])
        #expect(try Session(graph: graph).run(inputs)["node"]?.shape == [17])
        try expectMatchesOnnxRuntime(graph, inputs, tolerance: Tolerance(rtol: 1e-3, atol: 1e-3), opset: 27, "float16 range (opset 27)")
    }
}
