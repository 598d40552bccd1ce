import ZooTensor

/// An operator with ONNX opset-17 semantics. Attributes live in the case; tensor-valued
/// operands (shapes, axes, slice bounds) are inputs, as in ONNX.
public enum Op: Sendable, Equatable {
    // Convolution, pooling, normalisation
    case conv(ConvAttributes)
    case maxPool(PoolAttributes)
    case averagePool(PoolAttributes)
    case globalAveragePool
    case globalMaxPool
    case lrn(LRNAttributes)
    case batchNormalization(epsilon: Float = 1e-5)
    case layerNormalization(axis: Int = -1, epsilon: Float = 1e-5)

    // Dense algebra
    case gemm(GemmAttributes)
    case matMul

    // Element-wise, with multidirectional (numpy) broadcasting for the binary ones
    case add, sub, mul, div, pow
    case relu, sigmoid, tanh, erf, sqrt, exp, neg
    case `where`
    case equal
    /// Element-wise `a ≥ b` (bool result) and maximum of two operands.
    case greaterOrEqual, max
    /// Logical and of two bool tensors; IsNaN's result is bool too.
    case and, isNaN
    case cast(to: DType)
    /// Bounds as optional scalar inputs `min`, `max` (opset 13).
    case clip

    // Shapes and data movement
    case softmax(axis: Int = -1)
    case concat(axis: Int)
    case reshape(allowZero: Bool = false)
    case flatten(axis: Int = 1)
    case transpose(perm: [Int]?)
    case gather(axis: Int = 0)
    /// Gathers slices of `data` addressed by the last axis of `indices`, after `batchDims`
    /// leading axes shared by both.
    case gatherND(batchDims: Int = 0)
    case unsqueeze
    case squeeze
    case shape(start: Int = 0, end: Int? = nil)
    case slice
    case expand
    case constant(Tensor)
    case constantOfShape(value: Tensor)
    /// `start, start + delta, …` up to but excluding `limit`, from three scalar inputs.
    case range
    case identity
    case dropout

    // Recurrent
    case lstm(LSTMAttributes)

    // Control flow: ops holding subgraphs
    case scan(ScanAttributes)

    // Recurrent: GRU and RNN (LSTM is `lstm`)
    case recurrent(RecurrentAttributes)
    // Convolution, pooling and normalisation variants (ConvNormAttributes.swift)
    case convTranspose(ConvTransposeAttributes)
    /// `(Σ |x|^p)^(1/p)` over each window.
    case lpPool(PoolAttributes, p: Int)
    case maxUnpool(MaxUnpoolAttributes)
    case normalization(Normalization)
    // Data movement and indexing
    case movement(MovementOp)
    // Reductions, scans along an axis, and the softmax family
    /// Every Reduce*: one fold (`ReduceOperation`) over the axes of `ReduceAttributes`.
    case reduce(ReduceOperation, ReduceAttributes)
    /// ArgMax or ArgMin: int64 indices along one axis.
    case argReduce(ArgReduceAttributes)
    /// CumSum or CumProd along the axis given by input 1 (a scalar).
    case cumulative(CumulativeAttributes)
    /// The k largest or smallest values along an axis and their int64 indices; k is input 1.
    case topK(TopKAttributes)
    /// LogSoftmax and Hardmax (opset 13) along one axis; the importer writes the 2-D form of
    /// older opsets as Flatten, the op on rows and Reshape, as for Softmax.
    case logSoftmax(axis: Int = -1)
    case hardmax(axis: Int = -1)
    // Elementwise family (ElementwiseOperations.swift): unary math and activations, binary
    // ops, variadic Sum/Mean/Min/Max, and Cast to the dtype of the second input
    case unary(UnaryFunction), binary(BinaryOperation), variadic(VariadicOperation), castLike
    // Losses (LossAttributes.swift) and image sampling and folding (SpatialOp.swift)
    case loss(LossAttributes)
    case spatial(SpatialOp)
    // Algebra and signal (AlgebraOp.swift, SignalOp.swift): Einsum, Det, Lp norms, BitCast; DFT, STFT, windows
    case algebra(AlgebraOp), signal(SignalOp)
    // Spatial resampling (ResampleOp.swift): Resize (Upsample read as it), CenterCropPad
    case resample(ResampleOp)
    // Attention and rotary embedding (AttentionOp.swift)
    case attention(AttentionOp)
    // Selection by value (SelectionOp.swift: NonZero, Unique, Compress, NonMaxSuppression) and regions (RegionOp.swift: RoiAlign, DeformConv)
    case selection(SelectionOp), region(RegionOp)
    // Quantized operators (QuantizedOp.swift): Quantize/DequantizeLinear, QLinearConv/MatMul, integer products
    case quantized(QuantizedOp)
    // Control flow (ControlFlowOp.swift): If and Loop
    case controlFlow(ControlFlowOp)
    // Stateful decoding operators (StatefulOp.swift): TensorScatter, CausalConvWithState
    case stateful(StatefulOp)

    /// The ONNX operator name (`op_type`).
    public var onnxName: String {
        switch self {
        case .conv: "Conv"
        case .maxPool: "MaxPool"
        case .averagePool: "AveragePool"
        case .globalAveragePool: "GlobalAveragePool"
        case .globalMaxPool: "GlobalMaxPool"
        case .lrn: "LRN"
        case .batchNormalization: "BatchNormalization"
        case .layerNormalization: "LayerNormalization"
        case .gemm: "Gemm"
        case .matMul: "MatMul"
        case .add: "Add"
        case .sub: "Sub"
        case .mul: "Mul"
        case .div: "Div"
        case .pow: "Pow"
        case .relu: "Relu"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        case .erf: "Erf"
        case .sqrt: "Sqrt"
        case .exp: "Exp"
        case .neg: "Neg"
        case .where: "Where"
        case .equal: "Equal"
        case .greaterOrEqual: "GreaterOrEqual"
        case .max: "Max"
        case .and: "And"
        case .isNaN: "IsNaN"
        case .cast: "Cast"
        case .clip: "Clip"
        case .softmax: "Softmax"
        case .concat: "Concat"
        case .reshape: "Reshape"
        case .flatten: "Flatten"
        case .transpose: "Transpose"
        case .gather: "Gather"
        case .gatherND: "GatherND"
        case .unsqueeze: "Unsqueeze"
        case .squeeze: "Squeeze"
        case .shape: "Shape"
        case .slice: "Slice"
        case .expand: "Expand"
        case .constant: "Constant"
        case .constantOfShape: "ConstantOfShape"
        case .range: "Range"
        case .identity: "Identity"
        case .dropout: "Dropout"
        case .lstm: "LSTM"
        case .scan: "Scan"
        // Recurrent
        case .recurrent(let attributes): attributes.cell.onnxName
        // Convolution, pooling and normalisation variants
        case .convTranspose, .lpPool, .maxUnpool, .normalization: convNormName
        // Data movement and indexing
        case .movement(let op): op.onnxName
        // Reductions
        case .reduce(let operation, _): operation.onnxName
        case .argReduce(let attributes): attributes.selectsMaximum ? "ArgMax" : "ArgMin"
        case .cumulative(let attributes): attributes.operation.onnxName
        case .topK: "TopK"
        case .logSoftmax: "LogSoftmax"
        case .hardmax: "Hardmax"
        // Elementwise family
        case .unary(let function): function.onnxName
        case .binary(let operation): operation.onnxName
        case .variadic(let operation): operation.onnxName
        case .castLike: "CastLike"
        // Losses; image sampling and folding
        case .loss(let attributes): attributes.kind.onnxName
        case .spatial(let op): op.onnxName
        // Algebra and signal
        case .algebra(let op): op.onnxName
        case .signal(let op): op.onnxName
        // Spatial resampling
        case .resample(let op): op.onnxName
        // Attention and rotary embedding
        case .attention(let op): op.onnxName
        // Selection by value; regions
        case .selection(let op): op.onnxName
        case .region(let op): op.onnxName
        // Quantized operators
        case .quantized(let op): op.onnxName
        // Control flow
        case .controlFlow(let op): op.onnxName
        // Stateful decoding operators
        case .stateful(let op): op.onnxName
        }
    }

    /// How many inputs the op takes (optional trailing inputs may be absent or named "").
    public var inputArity: ClosedRange<Int> {
        switch self {
        case .constant: 0...0
        case .conv: 2...3
        case .gemm: 2...3
        case .batchNormalization: 5...5
        case .layerNormalization: 2...3
        case .add, .sub, .mul, .div, .pow, .matMul, .equal, .reshape, .gather, .unsqueeze, .expand: 2...2
        case .greaterOrEqual, .max, .and, .gatherND: 2...2
        case .range: 3...3
        case .squeeze: 1...2
        case .clip: 1...3
        case .where: 3...3
        case .slice: 3...5
        case .dropout: 1...3
        case .concat: 1...Int.max
        case .lstm: 3...8
        case .scan: 1...Int.max
        // Recurrent
        case .recurrent(let attributes): attributes.cell.inputArity
        // Convolution, pooling and normalisation variants
        case .convTranspose, .maxUnpool, .normalization: convNormInputArity
        // Data movement and indexing
        case .movement(let op): op.inputArity
        // Reductions
        case .cumulative, .topK: 2...2
        // Elementwise family
        case .binary, .castLike: 2...2
        case .variadic: 1...Int.max
        // Losses; image sampling and folding
        case .loss: 2...3
        case .spatial(let op): op.inputArity
        // Algebra and signal
        case .algebra(let op): op.inputArity
        case .signal(let op): op.inputArity
        // Spatial resampling
        case .resample(let op): op.inputArity
        // Attention and rotary embedding
        case .attention(let op): op.inputArity
        // Selection by value; regions
        case .selection(let op): op.inputArity
        case .region(let op): op.inputArity
        // Run-time values: Reduce* axes as an input known only at run time
        case .reduce: 1...2
        // Quantized operators
        case .quantized(let op): op.inputArity
        // Control flow
        case .controlFlow(let op): op.inputArity
        // Stateful decoding operators
        case .stateful(let op): op.inputArity
        default: 1...1
        }
    }

    /// How many outputs the op produces (optional trailing outputs may be absent or "").
    public var outputArity: ClosedRange<Int> {
        switch self {
        case .dropout: 1...2
        case .lstm: 0...3
        case .scan: 1...Int.max
        // Recurrent
        case .recurrent(let attributes): attributes.cell.outputArity
        // Convolution, pooling and normalisation variants: MaxPool's indices,
        // LayerNormalization's mean and inverse standard deviation
        case .maxPool: 1...2
        case .layerNormalization: 1...3
        // Data movement and indexing
        case .movement(let op): op.outputArity
        // Reductions
        case .topK: 2...2
        // Losses
        case .loss(let attributes): attributes.outputArity
        // Attention and rotary embedding
        case .attention(let op): op.outputArity
        // Selection by value: Unique's four outputs
        case .selection(let op): op.outputArity
        // Quantized operators
        case .quantized(let op): op.outputArity
        // BatchNormalization in training mode: the running mean and variance
        case .normalization(.batchTraining): 3...3
        // Control flow
        case .controlFlow(let op): op.outputArity
        // Stateful decoding operators
        case .stateful(let op): op.outputArity
        default: 1...1
        }
    }
}
