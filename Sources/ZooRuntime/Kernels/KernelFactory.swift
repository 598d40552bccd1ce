import ZooGraph

/// Chooses the kernel for every op of the IR. An op without a kernel cannot get here: the
/// switch is exhaustive, so adding an op to `Op` fails to compile until it has one. Variants a
/// kernel does not handle throw `.unsupported` naming the node, at compile time.
enum KernelFactory {
    /// The node's kernel, with output types that fit in memory.
    static func prepare(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        // float16/float64 operands of kernels that compute in float32 only
        let prepared = try WidenedFloatKernel.prepare(context) { (context) throws(RuntimeError) in try kernel(for: context) }
        for (name, type) in zip(context.node.outputs, prepared.outputTypes) where !name.isEmpty {
            try context.requireAllocatable(type, value: name)
        }
        return prepared
    }

    private static func kernel(for context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        let channelsLast = context.node.layout == .channelsLast
        return switch context.node.op {
        case .conv(let attributes): try ConvolutionKernel.prepare(context, attributes)
        case .gemm(let attributes): try MatMulKernel.prepareGemm(context, attributes)
        case .matMul: try MatMulKernel.prepareMatMul(context)
        case .lstm(let attributes): try RecurrentKernel.prepare(context, attributes.recurrent)
        case .maxPool(let attributes) where channelsLast: try DNNLPoolingKernel.prepare(context, attributes, isMax: true)
        case .maxPool(let attributes): try PoolingKernel.prepare(context, attributes, isMax: true)
        case .averagePool(let attributes) where channelsLast: try DNNLPoolingKernel.prepare(context, attributes, isMax: false)
        case .averagePool(let attributes): try PoolingKernel.prepare(context, attributes, isMax: false)
        case .globalAveragePool where channelsLast: try DNNLPoolingKernel.prepareGlobal(context, isMax: false)
        case .globalAveragePool: try GlobalPoolingKernel.prepare(context, isMax: false)
        case .globalMaxPool where channelsLast: try DNNLPoolingKernel.prepareGlobal(context, isMax: true)
        case .globalMaxPool: try GlobalPoolingKernel.prepare(context, isMax: true)
        case .lrn(let attributes): try LRNKernel.prepare(context, attributes)
        case .batchNormalization(let epsilon): try BatchNormKernel.prepare(context, epsilon: epsilon)
        case .layerNormalization(let axis, let epsilon): try LayerNormKernel.prepare(context, axis: axis, epsilon: epsilon)
        case .softmax(let axis): try SoftmaxKernel.prepare(context, axis: axis)
        case .relu: try UnaryKernel.prepare(context, .relu)
        case .sigmoid: try UnaryKernel.prepare(context, .sigmoid)
        case .tanh: try UnaryKernel.prepare(context, .tanh)
        case .erf: try UnaryKernel.prepare(context, .erf)
        case .sqrt: try UnaryKernel.prepare(context, .sqrt)
        case .exp: try UnaryKernel.prepare(context, .exp)
        case .neg: try UnaryKernel.prepare(context, .neg)
        case .add: try BinaryKernel.prepare(context, .add)
        case .sub: try BinaryKernel.prepare(context, .sub)
        case .mul: try BinaryKernel.prepare(context, .mul)
        case .div: try BinaryKernel.prepare(context, .div)
        case .pow: try BinaryKernel.prepare(context, .pow)
        case .equal: try BinaryKernel.prepare(context, .equal)
        case .greaterOrEqual: try BinaryKernel.prepare(context, .greaterOrEqual)
        case .max: try BinaryKernel.prepare(context, .max)
        case .and: try BinaryKernel.prepare(context, .and)
        case .isNaN: try IsNaNKernel.prepare(context)
        case .where: try WhereKernel.prepare(context)
        case .cast(let target): try CastKernel.prepare(context, to: target)
        case .concat(let axis): try ConcatKernel.prepare(context, axis: axis)
        case .gather(let axis): try GatherKernel.prepare(context, axis: axis)
        case .gatherND(let batchDims): try GatherNDKernel.prepare(context, batchDims: batchDims)
        case .range: try RangeKernel.prepare(context)
        case .identity where context.node.reordersFrom != nil:
            try LayoutReorderKernel.prepare(context, from: context.node.reordersFrom!)
        case .reshape, .flatten, .squeeze, .unsqueeze, .identity, .dropout: try CopyKernel.prepare(context)
        case .transpose, .slice, .expand: try StridedCopyKernel.prepare(context)
        case .shape, .constant, .constantOfShape: try FillKernel.prepare(context)
        case .clip: try ClipKernel.prepare(context)
        case .scan(let attributes): try ScanKernel.prepare(context, attributes)
        // Recurrent
        case .recurrent(let attributes): try RecurrentKernel.prepare(context, attributes)
        // Convolution, pooling and normalisation variants
        case .convTranspose(let attributes): try ConvTransposeKernel.prepare(context, attributes)
        case .lpPool(let attributes, let p): try PoolingKernel.prepare(context, attributes, reduction: .lp(p: p))
        case .maxUnpool(let attributes): try MaxUnpoolKernel.prepare(context, attributes)
        case .normalization(let normalization): try RunNormalizationKernel.prepare(context, normalization)
        // Data movement and indexing
        case .movement(let op): try MovementKernels.prepare(context, op)
        // Reductions
        case .reduce(let operation, let attributes) where channelsLast: try ChannelsLastReduceKernel.prepare(context, operation, attributes)
        case .reduce(let operation, let attributes): try ReductionKernels.prepareReduce(context, operation, attributes)
        case .argReduce(let attributes): try ReductionKernels.prepareArgReduce(context, attributes)
        case .cumulative(let attributes): try ReductionKernels.prepareCumulative(context, attributes)
        case .topK(let attributes): try ReductionKernels.prepareTopK(context, attributes)
        case .logSoftmax(let axis): try SoftmaxKernel.prepare(context, axis: axis, logarithm: true)
        case .hardmax(let axis): try ReductionKernels.prepareHardmax(context, axis: axis)
        // Elementwise family
        case .unary(let function): try ElementwiseKernel.prepareUnary(context, .family(function))
        case .binary(let operation): try ElementwiseKernel.prepareBinary(context, .family(operation))
        case .variadic(let operation): try ElementwiseKernel.prepareVariadic(context, operation)
        case .castLike: try CastKernel.prepare(context, to: try context.type(1).dtype)
        // Losses; image sampling and folding
        case .loss(let attributes): try LossKernel.prepare(context, attributes)
        case .spatial(.gridSample(let attributes)): try GridSampleKernel.prepare(context, attributes)
        case .spatial(.affineGrid(let alignCorners)): try AffineGridKernel.prepare(context, alignCorners: alignCorners)
        case .spatial(.col2Im(let attributes)): try Col2ImKernel.prepare(context, attributes)
        // Algebra and signal
        case .algebra(let op): try AlgebraKernels.prepare(context, op)
        case .signal(let op): try SignalKernels.prepare(context, op)
        // Spatial resampling
        case .resample(let op): try ResampleKernels.prepare(context, op)
        // Attention and rotary embedding
        case .attention(.attention(let attributes)): try AttentionKernel.prepare(context, attributes)
        case .attention(.rotaryEmbedding(let attributes)): try RotaryEmbeddingKernel.prepare(context, attributes)
        // Selection by value; regions
        case .selection(let op): try SelectionKernels.prepare(context, op)
        case .region(.roiAlign(let attributes)): try RoiAlignKernel.prepare(context, attributes)
        case .region(.deformConv(let attributes)): try DeformConvKernel.prepare(context, attributes)
        // Quantized operators
        case .quantized(let op): try QuantizedKernels.prepare(context, op)
        // Control flow
        case .controlFlow(.if(let thenBranch, let elseBranch)): try IfKernel.prepare(context, thenBranch, elseBranch)
        case .controlFlow(.loop(let body)): try LoopKernel.prepare(context, body)
        // Stateful decoding operators
        case .stateful(.tensorScatter(let attributes)): try TensorScatterKernel.prepare(context, attributes)
        case .stateful(.causalConvolution(let activation)): try CausalConvolutionKernel.prepare(context, activation)
        case .stateful(.linearAttention(let attributes)): try LinearAttentionKernel.prepare(context, attributes)
        }
    }
}
