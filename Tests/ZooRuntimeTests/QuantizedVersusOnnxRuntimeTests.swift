import Foundation
import Testing
import ZooGraph
import ZooONNX
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The quantized operators against onnxruntime, passes off, each graph exported by us first
/// (so export is checked too). Tolerances: QuantizeLinear, DequantizeLinear,
/// DynamicQuantizeLinear, MatMulInteger and ConvInteger exactly; QLinearConv and
/// QLinearMatMul within 1 quantized unit (the requantizing product `acc · scale` rounds half to
/// even in float32 in both, but the multiplier's float rounding can move a value across a
/// half; the onnx reference computes it in float64). Measured: every case here equals both
/// onnxruntime and the onnx reference evaluator exactly. Sizes include threaded paths (more
/// than 2^15 elements, hundreds of GEMM tiles). On a CPU with VNNI the int8-weight cases
/// without weight zero points run on oneDNN's int8 matmul, the others on the Int32 loops.
@Suite struct QuantizedVersusOnnxRuntimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let op: Op
        let operands: @Sendable () throws -> [Operand]
        var opset = ONNXModel.defaultOpset
        var tolerance = Tolerance.exact
        var evaluator = OnnxRuntimeReference.Evaluator.onnxruntime
        var testDescription: String { label }
    }

    static let oneUnit = Tolerance(rtol: 0, atol: 1)

    /// Uniform integers of `dtype` (int8, uint8, int16, uint16, int32) from a seed.
    static func integers(_ shape: [Int], _ dtype: DType, seed: UInt64) throws -> Tensor {
        let (low, high): (Float, Float) = switch dtype {
        case .int8: (-128, 127)
        case .uint8: (0, 255)
        case .int16: (-32768, 32767)
        case .uint16: (0, 65535)
        default: (-100_000, 100_000)
        }
        let values = try random(shape, seed: seed, low: low, high: high).doubleValues.map { $0.rounded() }
        return switch dtype {
        case .int8: try Tensor(shape: shape, scalars: values.map { Int8($0) })
        case .uint8: try Tensor(shape: shape, scalars: values.map { UInt8($0) })
        case .int16: try Tensor(shape: shape, scalars: values.map { Int16($0) })
        case .uint16: try Tensor(shape: shape, scalars: values.map { UInt16($0) })
        default: try Tensor(shape: shape, scalars: values.map { Int32($0) })
        }
    }

    static func scale(_ value: Float) -> Operand { .constant(Tensor(scalar: value)) }
    static func scales(_ values: [Float], shape: [Int]? = nil) throws -> Operand {
        .constant(try Tensor(shape: shape ?? [values.count], scalars: values))
    }
    static func zero<Q: TensorElement>(_ value: Q) -> Operand { .constant(Tensor(scalar: value)) }

    static let quantizes: [Case] = [
        Case(label: "QuantizeLinear per tensor to uint8 (default), ties and saturation",
             op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: nil))) {
            [.input(try floats([0, 0.5, 1.5, 2.5, -0.5, -1.5, 300, -300, 254.5, 1e9], shape: [10])), scale(1)]
        },
        Case(label: "QuantizeLinear per tensor to int8 with zero point, threaded",
             op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: nil))) {
            [.input(try random([4, 3, 64, 64], seed: 400, low: -3, high: 3)), scale(0.023), zero(Int8(-7))]
        },
        Case(label: "QuantizeLinear per axis 1 to uint8",
             op: .quantized(.quantizeLinear(QuantizationAxis(axis: 1), outputDType: nil))) {
            [.input(try random([2, 3, 4], seed: 401, low: -2, high: 2)), try scales([0.01, 0.02, 0.05]),
             .constant(try Tensor(shape: [3], scalars: [UInt8(128), 100, 3]))]
        },
        Case(label: "QuantizeLinear per axis -1 to int16 (opset 21)",
             op: .quantized(.quantizeLinear(QuantizationAxis(axis: -1), outputDType: nil)), operands: {
            [.input(try random([5, 4], seed: 402, low: -50, high: 50)), try scales([0.001, 0.002, 0.01, 0.0005]),
             .constant(try Tensor(shape: [4], scalars: [Int16(0), 10, -300, 7]))]
        }, opset: 21),
        Case(label: "QuantizeLinear to uint16 (opset 21)", op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: nil)), operands: {
            [.input(try random([3, 7], seed: 403, low: -1, high: 40)), scale(0.0007), zero(UInt16(1000))]
        }, opset: 21),
        Case(label: "QuantizeLinear blocked, block 2 over 5 (a remainder block), opset 21",
             op: .quantized(.quantizeLinear(QuantizationAxis(axis: 1, blockSize: 2), outputDType: nil)), operands: {
            [.input(try random([3, 5], seed: 404, low: -4, high: 4)), .constant(try random([3, 3], seed: 405, low: 0.01, high: 0.05)),
             .constant(try integers([3, 3], .int8, seed: 406))]
        }, opset: 21),
        Case(label: "QuantizeLinear output_dtype int8 without a zero point (opset 21)",
             op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: .int8)), operands: {
            [.input(try random([6], seed: 407, low: -2, high: 2)), scale(0.01)]
        }, opset: 21),
        Case(label: "QuantizeLinear output_dtype int8 written at opset 13 as a zero point",
             op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: .int8)), operands: {
            [.input(try random([6], seed: 407, low: -2, high: 2)), scale(0.01)]
        }, opset: 13),
        Case(label: "QuantizeLinear float16 input and scale (opset 19)",
             op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: nil)), operands: {
            [.input(try Tensor(shape: [12], scalars: try random([12], seed: 409, low: -3, high: 3).doubleValues.map { Float16($0) })),
             .constant(Tensor(scalar: Float16(0.02))), zero(Int8(3))]
        }, opset: 19),
        // onnxruntime has no int32 QuantizeLinear: the reference evaluator judges.
        Case(label: "QuantizeLinear from int32", op: .quantized(.quantizeLinear(QuantizationAxis(), outputDType: nil)), operands: {
            [.input(try integers([8], .int32, seed: 408)), scale(1000), zero(UInt8(128))]
        }, evaluator: .onnxReference),
    ]

    static let dequantizes: [Case] = [
        Case(label: "DequantizeLinear uint8 per tensor", op: .quantized(.dequantizeLinear(QuantizationAxis(), outputDType: nil))) {
            [.input(try integers([2, 3, 4], .uint8, seed: 410)), scale(0.05), zero(UInt8(131))]
        },
        Case(label: "DequantizeLinear int8 per axis 0, threaded", op: .quantized(.dequantizeLinear(QuantizationAxis(axis: 0), outputDType: nil))) {
            [.input(try integers([8, 64, 128], .int8, seed: 411)), .constant(try random([8], seed: 412, low: 0.001, high: 0.1)),
             .constant(try integers([8], .int8, seed: 413))]
        },
        Case(label: "DequantizeLinear int32 without a zero point", op: .quantized(.dequantizeLinear(QuantizationAxis(), outputDType: nil))) {
            [.input(try integers([9], .int32, seed: 414)), scale(0.0001)]
        },
        Case(label: "DequantizeLinear int16 (opset 21)", op: .quantized(.dequantizeLinear(QuantizationAxis(), outputDType: nil)), operands: {
            [.input(try integers([4, 4], .int16, seed: 415)), scale(0.003), zero(Int16(-20))]
        }, opset: 21),
        Case(label: "DequantizeLinear uint16 per axis (opset 21)", op: .quantized(.dequantizeLinear(QuantizationAxis(axis: 1), outputDType: nil)), operands: {
            [.input(try integers([2, 3], .uint16, seed: 416)), try scales([0.1, 0.2, 0.3]),
             .constant(try Tensor(shape: [3], scalars: [UInt16(0), 30000, 65535]))]
        }, opset: 21),
        Case(label: "DequantizeLinear blocked, block 3 over 7 on axis 0 (opset 21)",
             op: .quantized(.dequantizeLinear(QuantizationAxis(axis: 0, blockSize: 3), outputDType: nil)), operands: {
            [.input(try integers([7, 2], .uint8, seed: 417)), .constant(try random([3, 2], seed: 418, low: 0.01, high: 0.2)),
             .constant(try integers([3, 2], .uint8, seed: 419))]
        }, opset: 21),
    ]

    static let dequantizesToOtherTypes: [Case] = [
        Case(label: "DequantizeLinear to float16 (the scale's type, opset 19)",
             op: .quantized(.dequantizeLinear(QuantizationAxis(), outputDType: nil)), operands: {
            [.input(try integers([10], .uint8, seed: 470)), .constant(Tensor(scalar: Float16(0.05))), zero(UInt8(100))]
        }, opset: 19),
        Case(label: "DequantizeLinear output_dtype float16 from a float scale (opset 23)",
             op: .quantized(.dequantizeLinear(QuantizationAxis(), outputDType: .float16)), operands: {
            [.input(try integers([10], .int8, seed: 471)), scale(0.07), zero(Int8(-1))]
        }, opset: 23, evaluator: .onnxReference),
    ]

    static let products: [Case] = [
        Case(label: "DynamicQuantizeLinear", op: .quantized(.dynamicQuantizeLinear)) {
            [.input(try random([3, 50], seed: 420, low: -2, high: 5))]
        },
        Case(label: "DynamicQuantizeLinear of positive values (min widened to 0)", op: .quantized(.dynamicQuantizeLinear)) {
            [.input(try random([40], seed: 421, low: 1, high: 3))]
        },
        Case(label: "MatMulInteger uint8 × int8 with zero points", op: .quantized(.matMulInteger)) {
            [.input(try integers([5, 7], .uint8, seed: 430)), .constant(try integers([7, 3], .int8, seed: 431)), zero(UInt8(12)), zero(Int8(-3))]
        },
        Case(label: "MatMulInteger batched, broadcast weights, per-column b zero point", op: .quantized(.matMulInteger)) {
            [.input(try integers([2, 3, 4, 16], .uint8, seed: 432)), .constant(try integers([16, 5], .uint8, seed: 433)), .absent,
             .constant(try integers([5], .uint8, seed: 434))]
        },
        Case(label: "MatMulInteger int8 × int8, large (threaded tiles)", op: .quantized(.matMulInteger)) {
            [.input(try integers([64, 300], .int8, seed: 435)), .input(try integers([300, 700], .int8, seed: 436))]
        },
        Case(label: "QLinearMatMul uint8 2-D", op: .quantized(.qLinearMatMul), operands: {
            [.input(try integers([4, 9], .uint8, seed: 440)), scale(0.02), zero(UInt8(120)), .constant(try integers([9, 6], .uint8, seed: 441)),
             scale(0.01), zero(UInt8(130)), scale(0.1), zero(UInt8(100))]
        }, tolerance: oneUnit),
        Case(label: "QLinearMatMul int8 3-D with per-column b scale", op: .quantized(.qLinearMatMul), operands: {
            [.input(try integers([2, 4, 32], .int8, seed: 442)), scale(0.03), zero(Int8(1)), .constant(try integers([32, 5], .int8, seed: 443)),
             .constant(try random([5], seed: 444, low: 0.001, high: 0.02)), .constant(try Tensor(shape: [5], scalars: [Int8](repeating: 0, count: 5))),
             scale(0.5), zero(Int8(-4))]
        }, tolerance: oneUnit),
        Case(label: "ConvInteger with padding", op: .quantized(.convInteger(ConvAttributes(pads: [1, 1, 1, 1])))) {
            [.input(try integers([1, 2, 5, 5], .uint8, seed: 450)), .constant(try integers([3, 2, 3, 3], .uint8, seed: 451)), zero(UInt8(100))]
        },
        // onnxruntime's ConvInteger takes per-tensor weight zero points only: the reference evaluator judges.
        Case(label: "ConvInteger int8, stride 2, per-channel weight zero point", op: .quantized(.convInteger(ConvAttributes(strides: [2, 2]))),
             operands: {
            [.input(try integers([2, 3, 9, 8], .int8, seed: 452)), .constant(try integers([4, 3, 3, 2], .int8, seed: 453)), zero(Int8(5)),
             .constant(try integers([4], .int8, seed: 454))]
        }, evaluator: .onnxReference),
        Case(label: "ConvInteger uint8 × int8 (oneDNN's path on VNNI), pads, 2 groups",
             op: .quantized(.convInteger(ConvAttributes(pads: [1, 0, 2, 1], group: 2)))) {
            [.input(try integers([2, 4, 7, 6], .uint8, seed: 457)), .constant(try integers([6, 2, 3, 3], .int8, seed: 458)), zero(UInt8(77))]
        },
        Case(label: "ConvInteger int8 × uint8, stride 2, 3-D", op: .quantized(.convInteger(ConvAttributes(strides: [2, 1, 2])))) {
            [.input(try integers([1, 2, 5, 6, 7], .int8, seed: 455)), .constant(try integers([3, 2, 2, 3, 3], .uint8, seed: 456)), zero(Int8(5)),
             zero(UInt8(200))]
        },
        Case(label: "QLinearConv uint8 × int8 per-channel scales, bias, pads, threaded", op: .quantized(.qLinearConv(ConvAttributes(pads: [1, 1, 1, 1]))),
             operands: {
            [.input(try integers([2, 8, 32, 32], .uint8, seed: 460)), scale(0.02), zero(UInt8(128)),
             .constant(try integers([16, 8, 3, 3], .int8, seed: 461)), .constant(try random([16], seed: 462, low: 0.001, high: 0.01)),
             .constant(try Tensor(shape: [16], scalars: [Int8](repeating: 0, count: 16))), scale(0.6), zero(UInt8(110)),
             .constant(try integers([16], .int32, seed: 463))]
        }, tolerance: oneUnit),
        Case(label: "QLinearConv int8 grouped (depthwise), stride 2, dilation 2", op: .quantized(.qLinearConv(ConvAttributes(
            strides: [2, 2], pads: [2, 2, 2, 2], dilations: [2, 2], group: 4))), operands: {
            [.input(try integers([1, 4, 11, 11], .int8, seed: 464)), scale(0.05), zero(Int8(-3)),
             .constant(try integers([4, 1, 3, 3], .int8, seed: 465)), scale(0.004), zero(Int8(0)), scale(0.2), zero(Int8(6))]
        }, tolerance: oneUnit),
        Case(label: "QLinearConv 1-D uint8 × uint8", op: .quantized(.qLinearConv(ConvAttributes(autoPad: .sameUpper))), operands: {
            [.input(try integers([2, 3, 10], .uint8, seed: 466)), scale(0.1), zero(UInt8(90)),
             .constant(try integers([5, 3, 4], .uint8, seed: 467)), scale(0.003), zero(UInt8(120)), scale(0.4), zero(UInt8(127))]
        }, tolerance: oneUnit),
    ]

    static func check(_ testCase: Case) throws {
        let (graph, inputs) = try singleNodeGraph(testCase.op, try testCase.operands(), outputCount: testCase.op.outputArity.lowerBound)
        try expectMatchesOnnxRuntime(graph, inputs, options: SessionOptions(passes: []), evaluator: testCase.evaluator, tolerance: testCase.tolerance,
                                     opset: testCase.opset, testCase.label)
    }

    @Test(arguments: quantizes) func quantize(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: dequantizes) func dequantize(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: dequantizesToOtherTypes) func dequantizeToOtherTypes(_ testCase: Case) throws { try Self.check(testCase) }
    @Test(arguments: products) func product(_ testCase: Case) throws { try Self.check(testCase) }

    /// block_size exists from opset 21 and DequantizeLinear's output_dtype from 23: the writer
    /// refuses older forms, naming the node (QuantizeLinear's output_dtype is written as a
    /// zero point instead, tested above).
    @Test func formsOlderOpsetsLackAreRefused() throws {
        let (blocked, _) = try singleNodeGraph(.quantized(.quantizeLinear(QuantizationAxis(axis: 1, blockSize: 2), outputDType: nil)),
                                               [.input(try random([2, 4], seed: 1)), .constant(try random([2, 2], seed: 2, low: 0.1, high: 1))])
        #expect(throws: ONNXError.exportFailed(reason: "node 'node' (QuantizeLinear) has no form at opset 20: attribute 'block_size' exists from opset 21")) {
            _ = try ONNXModel(graph: blocked, opsetVersion: 20).serialized()
        }
        _ = try ONNXModel(graph: blocked, opsetVersion: 21).serialized()
        let (typed, _) = try singleNodeGraph(.quantized(.dequantizeLinear(QuantizationAxis(), outputDType: .float16)),
                                             [.input(try Self.integers([4], .uint8, seed: 1)), Self.scale(1)])
        #expect(throws: ONNXError.exportFailed(reason: "node 'node' (DequantizeLinear) has no form at opset 22: attribute 'output_dtype' exists from opset 23")) {
            _ = try ONNXModel(graph: typed, opsetVersion: 22).serialized()
        }
    }

    /// Bad scales, zero points and block sizes are errors naming the node.
    @Test func hostileParametersAreNamed() throws {
        let quantize = Op.quantized(.quantizeLinear(QuantizationAxis(), outputDType: nil))
        for bad: Float in [0, -0.5] {
            let (graph, inputs) = try singleNodeGraph(quantize, [.input(try random([4], seed: 1)), .input(Tensor(scalar: bad))])
            #expect(throws: RuntimeError.shape(node: "node", op: "QuantizeLinear", message: "y_scale is \(bad); scales must be positive and finite")) {
                _ = try Session(graph: graph).run(inputs)
            }
        }
        #expect(throws: GraphError.dtype(node: "node", op: "DequantizeLinear", input: "c2", expected: "uint8 (like 'x0')", actual: .int8)) {
            _ = try singleNodeGraph(.quantized(.dequantizeLinear(QuantizationAxis(), outputDType: nil)),
                                    [.input(try Self.integers([4], .uint8, seed: 1)), Self.scale(1), Self.zero(Int8(0))])
        }
        #expect(throws: GraphError.shape(node: "node", op: "QuantizeLinear", message: "zero point 'c2' uint8[2] must have the shape of the scale 'c1' float32[3]")) {
            _ = try singleNodeGraph(quantize, [.input(try random([2, 3], seed: 1)), try Self.scales([1, 2, 3]),
                                               .constant(try Tensor(shape: [2], scalars: [UInt8(0), 0]))])
        }
        #expect(throws: GraphError.shape(node: "node", op: "QuantizeLinear",
                                         message: "blocked scale 'c1' float32[2,2] must be 3 on axis 1 (input float32[2,5], block_size 2)")) {
            _ = try singleNodeGraph(.quantized(.quantizeLinear(QuantizationAxis(axis: 1, blockSize: 2), outputDType: nil)),
                                    [.input(try random([2, 5], seed: 1)), .constant(try random([2, 2], seed: 2, low: 0.1, high: 1))])
        }
        #expect(throws: GraphError.attribute(node: "node", op: "QuantizeLinear", name: "block_size", message: "is -2, must be 0 (per axis) or positive")) {
            _ = try singleNodeGraph(.quantized(.quantizeLinear(QuantizationAxis(axis: 1, blockSize: -2), outputDType: nil)),
                                    [.input(try random([2, 5], seed: 1)), .constant(try random([2, 2], seed: 2, low: 0.1, high: 1))])
        }
    }
}
