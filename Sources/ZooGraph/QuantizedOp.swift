import ZooTensor

/// The quantized operators of the default domain, with the semantics of their newest opset.
/// Real values are `scale · (q − zero_point)`; integer products accumulate in int32.
public enum QuantizedOp: Sendable, Hashable {
    /// QuantizeLinear(x, y_scale, y_zero_point?): `saturate(round_half_even(x / scale) + zero_point)`.
    /// The output dtype is the zero point's, else `outputDType`, else uint8.
    case quantizeLinear(QuantizationAxis, outputDType: DType?)
    /// DequantizeLinear(x, x_scale, x_zero_point?): `(x − zero_point) · scale`, in the scale's
    /// dtype unless `outputDType` (opset 23) names another.
    case dequantizeLinear(QuantizationAxis, outputDType: DType?)
    /// QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B?): an integer
    /// convolution requantized to y's scale; w's scale and zero point may be per output channel.
    case qLinearConv(ConvAttributes)
    /// QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp): numpy matmul of
    /// integers requantized to y's scale; b's scale and zero point may be per column.
    case qLinearMatMul
    /// MatMulInteger(A, B, a_zero_point?, b_zero_point?): int32 `(A − a_zp)·(B − b_zp)`.
    case matMulInteger
    /// ConvInteger(x, w, x_zero_point?, w_zero_point?): int32 convolution of the shifted operands.
    case convInteger(ConvAttributes)
    /// DynamicQuantizeLinear(x) → (y uint8, y_scale, y_zero_point) from x's range widened to 0.
    case dynamicQuantizeLinear

    public var onnxName: String {
        switch self {
        case .quantizeLinear: "QuantizeLinear"
        case .dequantizeLinear: "DequantizeLinear"
        case .qLinearConv: "QLinearConv"
        case .qLinearMatMul: "QLinearMatMul"
        case .matMulInteger: "MatMulInteger"
        case .convInteger: "ConvInteger"
        case .dynamicQuantizeLinear: "DynamicQuantizeLinear"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .quantizeLinear, .dequantizeLinear: 2...3
        case .qLinearConv: 8...9
        case .qLinearMatMul: 8...8
        case .matMulInteger, .convInteger: 2...4
        case .dynamicQuantizeLinear: 1...1
        }
    }

    public var outputArity: ClosedRange<Int> {
        switch self {
        case .dynamicQuantizeLinear: 3...3
        default: 1...1
        }
    }

    /// The integer dtypes a quantized value may have here (int4, uint4 and the float8 types
    /// of later opsets have no DType and are refused on import).
    public static let quantizedDTypes: Set<DType> = [.int8, .uint8, .int16, .uint16]

    /// Attributes for graph listings.
    var attributeSummary: [(String, Any?)] {
        switch self {
        case .quantizeLinear(let axis, let dtype), .dequantizeLinear(let axis, let dtype):
            [("axis", axis.axis), ("block_size", axis.blockSize == 0 ? nil : axis.blockSize), ("output_dtype", dtype?.rawValue)]
        case .qLinearConv(let a), .convInteger(let a):
            [("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads), ("dilations", a.dilations),
             ("group", a.group == 1 ? nil : a.group), ("auto_pad", a.autoPad == .notSet ? nil : a.autoPad.rawValue)]
        case .qLinearMatMul, .matMulInteger, .dynamicQuantizeLinear: []
        }
    }
}

/// How a scale and zero point cover their tensor: one for all (a scalar or one-element
/// scale), one per index of `axis` (a 1-D scale), or one per block of `blockSize`
/// consecutive indices along `axis` (a scale of the tensor's rank, `⌈D / blockSize⌉` on axis).
public struct QuantizationAxis: Sendable, Hashable {
    public var axis: Int
    public var blockSize: Int

    public init(axis: Int = 1, blockSize: Int = 0) {
        self.axis = axis
        self.blockSize = blockSize
    }
}
