import ZooGraph
import ZooTensor

/// The quantized operators' kernels, by op.
enum QuantizedKernels {
    static func prepare(_ context: KernelContext, _ op: QuantizedOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        return switch op {
        case .quantizeLinear(let quantization, let dtype): try QuantizeLinearKernel.prepare(context, quantization, outputDType: dtype)
        case .dequantizeLinear(let quantization, let dtype): try DequantizeLinearKernel.prepare(context, quantization, outputDType: dtype)
        case .dynamicQuantizeLinear: try DynamicQuantizeLinearKernel.prepare(context)
        case .matMulInteger: try IntegerMatMulKernel.prepare(context, requantized: false)
        case .qLinearMatMul: try IntegerMatMulKernel.prepare(context, requantized: true)
        case .convInteger(let attributes): try IntegerConvolutionKernel.prepare(context, attributes, requantized: false)
        case .qLinearConv(let attributes): try IntegerConvolutionKernel.prepare(context, attributes, requantized: true)
        }
    }

    static let floatDTypes: Set<DType> = [.float32, .float16, .bfloat16]

    /// A scale input: float, float16 or bfloat16.
    static func scaleType(_ context: KernelContext, _ index: Int) throws(RuntimeError) -> ValueType {
        let scale = try context.type(index)
        guard floatDTypes.contains(scale.dtype) else {
            throw context.fail("scale '\(context.node.inputs[index])' is \(scale.dtype); scales are float, float16 or bfloat16")
        }
        return scale
    }

    /// QLinearConv's and QLinearMatMul's requantization operands: scalar input and output
    /// scales (inputs 1 and 6), a weight scale at input 4 that is a scalar or one per output
    /// channel (`channels`, `role` naming them), and an int8 or uint8 scalar output zero point
    /// (input 7). Returns the weight scale's count and the output dtype (the zero point's).
    static func requantization(_ context: KernelContext, channels: Int, role: String) throws(RuntimeError) -> (weightScaleCount: Int, output: DType) {
        for index in [1, 6] where try scaleType(context, index).elementCount != 1 {
            throw context.fail("'\(context.node.inputs[index])' must be a scalar")
        }
        let weightScale = try scaleType(context, 4)
        guard weightScale.elementCount == 1 || weightScale.shape == [channels] else {
            throw context.fail("\(role) \(weightScale) must be a scalar or [\(channels)] (one per output channel)")
        }
        let yZero = try context.type(7)
        guard yZero.elementCount == 1, yZero.dtype == .int8 || yZero.dtype == .uint8 else {
            throw context.fail("y_zero_point must be an int8 or uint8 scalar, got \(yZero)")
        }
        return (weightScale.elementCount, yZero.dtype)
    }
}

/// Element types read or written as Float by the quantize kernels (data, not parameters).
protocol FloatConvertible: TensorElement {
    var asFloat: Float { get }
    init(float: Float)
}

extension Float: FloatConvertible {
    var asFloat: Float { self }
    init(float: Float) { self = float }
}

extension Float16: FloatConvertible {
    var asFloat: Float { Float(self) }
    init(float: Float) { self.init(float) }
}

extension BFloat16: FloatConvertible {
    var asFloat: Float { floatValue }
    init(float: Float) { self.init(float) }
}

extension Int32: FloatConvertible {
    var asFloat: Float { Float(self) }
    init(float: Float) { self.init(float) }
}

enum Quantization {
    /// `saturate(round_half_even(x / scale) + zeroPoint)` in Q's range.
    @inline(__always)
    static func quantize<Q: FixedWidthInteger>(_ x: Float, scale: Float, zeroPoint: Float, as: Q.Type) -> Q {
        saturating((x / scale).rounded(.toNearestOrEven) + zeroPoint)
    }

    /// An integral float clamped to Q's range; NaN becomes Q's minimum (never a trap).
    @inline(__always)
    static func saturating<Q: FixedWidthInteger>(_ value: Float) -> Q {
        let low = Float(Q.min), high = Float(Q.max)
        return Q(value >= low ? (value <= high ? value : high) : low)
    }
}

/// QuantizeLinear: `y = saturate(round_half_even(x / scale) + zero_point)` per tensor, per
/// axis or per block (QuantizationLayout), for x float, float16, bfloat16 or int32 and y
/// int8, uint8, int16 or uint16. Integers always saturate (`saturate` concerns float8 only).
struct QuantizeLinearKernel: Kernel {
    let layout: QuantizationLayout
    let input: DType, output: DType, scale: DType, zeroPoint: DType?
    let count: Int, threads: Int
    let node: String

    static func prepare(_ context: KernelContext, _ quantization: QuantizationAxis, outputDType: DType?) throws(RuntimeError) -> PreparedKernel {
        let x = try context.type(0), scale = try QuantizedKernels.scaleType(context, 1)
        guard QuantizedKernels.floatDTypes.union([.int32]).contains(x.dtype) else {
            throw context.fail("input is \(x.dtype); QuantizeLinear reads float, float16, bfloat16 or int32")
        }
        let zeroPoint = context.optionalType(2)
        let output = zeroPoint?.dtype ?? outputDType ?? .uint8
        guard QuantizedOp.quantizedDTypes.contains(output) else {
            throw context.unsupported("quantizing to \(output) is not supported (int8, uint8, int16, uint16)")
        }
        if let zeroPoint, zeroPoint.shape != scale.shape {
            throw context.fail("zero point \(zeroPoint) must have the scale's shape \(scale.shape)")
        }
        let layout = try QuantizationLayout(data: x.shape, parameter: scale.shape, quantization, context)
        let kernel = QuantizeLinearKernel(layout: layout, input: x.dtype, output: output, scale: scale.dtype, zeroPoint: zeroPoint?.dtype,
                                          count: x.elementCount, threads: context.threads, node: context.node.name)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(output, x.shape)])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let scales = ParameterReader(base: io.input(1), dtype: scale)
        try scales.requirePositiveScales(count: layout.parameterCount, role: "y_scale", node: node, op: "QuantizeLinear")
        let zeroPoints = ParameterReader(base: io.optionalInput(2), dtype: zeroPoint ?? .int32)
        switch input {
        case .float16: run(io, Float16.self, scales, zeroPoints)
        case .bfloat16: run(io, BFloat16.self, scales, zeroPoints)
        case .int32: run(io, Int32.self, scales, zeroPoints)
        default: run(io, Float.self, scales, zeroPoints)
        }
    }

    private func run<X: FloatConvertible>(_ io: KernelIO, _: X.Type, _ scales: ParameterReader, _ zeroPoints: ParameterReader) {
        switch output {
        case .int8: run(io, X.self, Int8.self, scales, zeroPoints)
        case .int16: run(io, X.self, Int16.self, scales, zeroPoints)
        case .uint16: run(io, X.self, UInt16.self, scales, zeroPoints)
        default: run(io, X.self, UInt8.self, scales, zeroPoints)
        }
    }

    private func run<X: FloatConvertible, Q: FixedWidthInteger>(_ io: KernelIO, _: X.Type, _: Q.Type,
                                                                _ scales: ParameterReader, _ zeroPoints: ParameterReader) {
        let source = io.input(0).assumingMemoryBound(to: X.self)
        let destination = io.output(0).assumingMemoryBound(to: Q.self)
        Parallel.forRanges(count, threads: threads, minimumChunk: 1 << 15) { range in
            layout.forEachElement(in: range, scales: scales, zeroPoints: zeroPoints) { index, scale, zeroPoint in
                destination[index] = Quantization.quantize(source[index].asFloat, scale: scale, zeroPoint: Float(zeroPoint), as: Q.self)
            }
        }
    }
}

/// DequantizeLinear: `y = (x − zero_point) · scale` per tensor, per axis or per block, for x
/// int8, uint8, int16, uint16 or int32, computed in float and stored as the scale's dtype or
/// output_dtype (float, float16, bfloat16).
struct DequantizeLinearKernel: Kernel {
    let layout: QuantizationLayout
    let input: DType, output: DType, scale: DType, zeroPoint: DType?
    let count: Int, threads: Int
    let node: String

    static func prepare(_ context: KernelContext, _ quantization: QuantizationAxis, outputDType: DType?) throws(RuntimeError) -> PreparedKernel {
        let x = try context.type(0), scale = try QuantizedKernels.scaleType(context, 1)
        guard QuantizedOp.quantizedDTypes.union([.int32]).contains(x.dtype) else {
            throw context.fail("input is \(x.dtype); DequantizeLinear reads int8, uint8, int16, uint16 or int32")
        }
        let output = outputDType ?? scale.dtype
        guard QuantizedKernels.floatDTypes.contains(output) else {
            throw context.unsupported("dequantizing to \(output) is not supported (float, float16, bfloat16)")
        }
        let zeroPoint = context.optionalType(2)
        if let zeroPoint, zeroPoint.shape != scale.shape || zeroPoint.dtype != x.dtype {
            throw context.fail("zero point \(zeroPoint) must be \(ValueType(x.dtype, scale.shape)) (the input's dtype, the scale's shape)")
        }
        let layout = try QuantizationLayout(data: x.shape, parameter: scale.shape, quantization, context)
        let kernel = DequantizeLinearKernel(layout: layout, input: x.dtype, output: output, scale: scale.dtype, zeroPoint: zeroPoint?.dtype,
                                            count: x.elementCount, threads: context.threads, node: context.node.name)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(output, x.shape)])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let scales = ParameterReader(base: io.input(1), dtype: scale)
        try scales.requirePositiveScales(count: layout.parameterCount, role: "x_scale", node: node, op: "DequantizeLinear")
        let zeroPoints = ParameterReader(base: io.optionalInput(2), dtype: zeroPoint ?? .int32)
        switch input {
        case .int8: run(io, Int8.self, scales, zeroPoints)
        case .int16: run(io, Int16.self, scales, zeroPoints)
        case .uint16: run(io, UInt16.self, scales, zeroPoints)
        case .int32: run(io, Int32.self, scales, zeroPoints)
        default: run(io, UInt8.self, scales, zeroPoints)
        }
    }

    private func run<Q: FixedWidthInteger>(_ io: KernelIO, _: Q.Type, _ scales: ParameterReader, _ zeroPoints: ParameterReader) {
        switch output {
        case .float16: run(io, Q.self, Float16.self, scales, zeroPoints)
        case .bfloat16: run(io, Q.self, BFloat16.self, scales, zeroPoints)
        default: run(io, Q.self, Float.self, scales, zeroPoints)
        }
    }

    private func run<Q: FixedWidthInteger, Y: FloatConvertible>(_ io: KernelIO, _: Q.Type, _: Y.Type,
                                                                _ scales: ParameterReader, _ zeroPoints: ParameterReader) {
        let source = io.input(0).assumingMemoryBound(to: Q.self)
        let destination = io.output(0).assumingMemoryBound(to: Y.self)
        Parallel.forRanges(count, threads: threads, minimumChunk: 1 << 15) { range in
            layout.forEachElement(in: range, scales: scales, zeroPoints: zeroPoints) { index, scale, zeroPoint in
                destination[index] = Y(float: Float(Int64(source[index]) - Int64(zeroPoint)) * scale)
            }
        }
    }
}

/// DynamicQuantizeLinear: x's range widened to include 0 gives `scale = (max − min) / 255`
/// (1 when the range is empty) and `zero_point = round_half_even(clamp(−min / scale, 0, 255))`;
/// y is x quantized to uint8 with them, as onnxruntime and the ONNX reference compute it.
struct DynamicQuantizeLinearKernel: Kernel {
    let count: Int, threads: Int

    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        let x = try context.floatType(0)
        return PreparedKernel(kernel: DynamicQuantizeLinearKernel(count: x.elementCount, threads: context.threads),
                              outputTypes: [ValueType(.uint8, x.shape), ValueType(.float32, []), ValueType(.uint8, [])])
    }

    func run(_ io: KernelIO) {
        let source = io.floats(0)
        var low: Float = 0, high: Float = 0
        for index in 0..<count {
            low = min(low, source[index])
            high = max(high, source[index])
        }
        let scale = high == low ? 1 : (high - low) / 255
        let zero = min(max(-low / scale, 0), 255).rounded(.toNearestOrEven)
        io.optionalOutput(1)?.storeBytes(of: scale, as: Float.self)
        io.optionalOutput(2)?.storeBytes(of: UInt8(zero.isNaN ? 0 : zero), as: UInt8.self)
        let destination = io.output(0).assumingMemoryBound(to: UInt8.self)
        Parallel.forRanges(count, threads: threads, minimumChunk: 1 << 15) { range in
            for index in range {
                destination[index] = Quantization.quantize(source[index], scale: scale, zeroPoint: zero, as: UInt8.self)
            }
        }
    }
}
