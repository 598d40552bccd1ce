import ZooGraph

/// The counting rules: what each op of the IR costs.
///
/// **Conventions.** One multiply-accumulate (`a·b + c`) is 1 MAC and 2 FLOPs; both are
/// reported. Every other arithmetic operation (an add, multiply, divide, comparison, or one
/// evaluation of exp, tanh, erf, sqrt, pow or sigmoid) is 1 FLOP and no MAC. MACs therefore
/// count only the products of Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU, RNN, Einsum and Det: the convention behind published
/// figures such as torchvision's "GFLOPS" (ResNet-50: 4.09 G) and the ResNet paper, which
/// are MACs of convolutions and dense layers. Bias additions, normalisation, pooling and
/// activations add FLOPs only. Counts are nominal: convolution windows include padding
/// taps, and a recurrent op runs for the full sequence length whatever `sequence_lens` says.
///
/// E is the number of output elements; K the inner (reduced) dimension.
///
/// | op | MACs | other FLOPs |
/// |---|---|---|
/// | Conv | E · (C_in / group) · kernel area | + E with a bias |
/// | ConvTranspose | input elements · (C_out / group) · kernel area | + E with a bias |
/// | Gemm (M×K · K×N) | M·N·K | + M·N if alpha ≠ 1; with C, + M·N for the add, + M·N if beta ≠ 1 |
/// | MatMul | E · K (leading axes broadcast) | 0 |
/// | LSTM | steps · batch · directions · 4H(I + H) | steps · batch · directions · H · (9, + 8 with bias, + 6 with peepholes, + 8 with clip) |
/// | GRU | steps · batch · directions · 3H(I + H) | steps · batch · directions · H · (8, + 6 with bias, + 6 with clip) |
/// | RNN | steps · batch · directions · H(I + H) | steps · batch · directions · H · (1, + 2 with bias, + 2 with clip) |
/// | MaxPool, AveragePool | 0 | E · window area |
/// | GlobalAveragePool, GlobalMaxPool, ReduceMax, ReduceMean, ReduceMin, ReduceSum, ReduceProd, ArgMax, ArgMin, TopK | 0 | input elements |
/// | ReduceL1, ReduceSumSquare | 0 | 2 · input elements |
/// | ReduceL2 | 0 | 2 · input elements + E |
/// | ReduceLogSum | 0 | input elements + E |
/// | ReduceLogSumExp | 0 | 4 · input elements + 2E |
/// | Hardmax | 0 | 2E |
/// | CumSum, CumProd | 0 | E |
/// | BatchNormalization | 0 | 4E + 2C |
/// | LayerNormalization | 0 | 6E (7E with a bias) + 4 per normalised row |
/// | LRN | 0 | (2 · size + 4) · E |
/// | LpPool | 0 | E · (3 · window area + 1) |
/// | InstanceNormalization, GroupNormalization | 0 | 7E + 4 per instance or group |
/// | RMSNormalization | 0 | 4E + 4 per normalised row |
/// | MeanVarianceNormalization | 0 | 5E + 4 per normalised group |
/// | Softmax, LogSoftmax | 0 | 5E |
/// | Add, Sub, Mul, Div, Pow, Equal, GreaterOrEqual, Max, And, IsNaN, Where, Relu, Sigmoid, Tanh, Erf, Sqrt, Exp, Neg | 0 | E |
/// | Clip | 0 | E per bound given |
/// | the elementwise family: unary math, activations, binary, Sum/Mean/Min/Max, CastLike | 0 | 0 to 7 per element, see CostRules+ElementwiseFamily.swift |
/// | Scan | steps · the body's MACs | steps · the body's other FLOPs |
/// | Cast, Concat, Constant, ConstantOfShape, Dropout, Expand, Flatten, Gather, GatherND, Identity, MaxUnpool, Range, Reshape, Shape, Slice, Squeeze, Transpose, Unsqueeze | 0 | 0 (data movement) |
/// | Pad, Split, Tile, DepthToSpace, SpaceToDepth, GatherElements, OneHot, Trilu, EyeLike, ReverseSequence, Size; ScatterElements and ScatterND without a reduction | 0 | 0 (data movement) |
/// | ScatterElements, ScatterND with reduction add, mul, max or min | 0 | update elements |
/// | SoftmaxCrossEntropyLoss, NegativeLogLikelihoodLoss | 0 | 2 per label (+ 5 per score for the log-softmax of SoftmaxCrossEntropyLoss) |
/// | GridSample, AffineGrid, Col2Im | 0 | per interpolation tap, per coordinate, per added element; see CostRules+Spatial.swift |
/// | Einsum | index space · (operands − 1); one operand: 0 | one operand: index space − E |
/// | Det | matrices · (M−1)·M·(2M−1)/6 | matrices · (M(M−1)/2 + M) |
/// | LpNormalization; GlobalLpPool | 0 | 3E; 3 · input elements + E |
/// | DFT, STFT | 0 | per transform of n points 5n·log₂n (radix 2) or Bluestein's 3 FFTs + 18n; STFT + n per frame |
/// | HannWindow, HammingWindow; BlackmanWindow | 0 | 3E; 6E |
/// | BitCast | 0 | 0 (data movement) |
/// | Resize linear or cubic | 0 | 2 · interpolation taps · E (CostRules+Resample.swift) |
/// | Resize nearest, CenterCropPad | 0 | 0 (data movement) |
/// | Attention | (Q + Y elements) · total keys | per score: 6 (+1 bias, +3 softcap); CostRules+Attention.swift |
/// | RotaryEmbedding | 0 | 3 per rotated feature |
/// | NonZero; Unique; Compress | 0 | input elements; (⌈log₂ n⌉ + 1) · input elements; 0 (CostRules+Selection.swift) |
/// | NonMaxSuppression | 0 | B·C·N·(1 + 15·S), S the selected boxes (data-dependent, an upper bound) |
/// | RoiAlign; DeformConv | 0; E · C/group · kH · kW | 8 · samples per bin + 1 (avg) per E; 8 or 9 per sampled value (+ E with a bias) |
/// | the quantized operators | integer products as Conv and MatMul | 2 per element to quantize, dequantize or requantize; see CostRules+Quantized.swift |
/// | If | the heavier branch's MACs | the heavier branch's FLOPs (CostRules+ControlFlow.swift) |
/// | Loop | M · the body's MACs, or per iteration · iterations(node) when M is not a constant | likewise |
/// | TensorScatter; CausalConvWithState; LinearAttention | 0; k · E; per token (1 or 2 · Hkv + Hq) · dk · dv | 0 (data movement); bias 1, SiLU 4 per E; decay, delta and scale (CostRules+Stateful.swift) |
///
/// Attention written as MatMuls and Softmax is counted op by op: QKᵀ and AV are MatMuls (n²·d
/// MACs each for n tokens of width d) and the scores a Softmax; the opset-23 Attention op counts
/// the same arithmetic. The per-op formulas are explained where they are computed.
public struct CostRules: Sendable {
    /// ONNX op names whose rules are left out.
    private var excluded: Set<String> = []

    /// A rule for every op of the IR.
    public static let standard = CostRules()

    /// These rules without those for `opTypes` (ONNX names such as "LRN"): nodes of those
    /// ops become uncounted, to see what a graph spends outside them.
    public func excluding(opTypes: Set<String>) -> CostRules {
        var rules = self
        rules.excluded.formUnion(opTypes)
        return rules
    }

    /// Whether `op` is counted; a Scan is when every op of its body is.
    public func hasRule(for op: Op) -> Bool {
        !excluded.contains(op.onnxName) && op.subgraphs.allSatisfy { $0.nodes.allSatisfy { hasRule(for: $0.op) } }
    }

    /// The cost of one node. The switch is exhaustive, so an op added to the IR does not
    /// compile until it has a rule here.
    func cost(of node: CostContext) throws(CountError) -> Cost {
        switch node.op {
        case .conv: try node.convolutionCost()
        case .gemm(let attributes): try node.gemmCost(attributes)
        case .matMul: try node.matMulCost()
        case .lstm(let attributes): try node.recurrentCost(attributes.recurrent)
        case .maxPool(let attributes), .averagePool(let attributes): try node.poolCost(attributes)
        case .globalAveragePool, .globalMaxPool: try node.reductionCost()
        case .batchNormalization: try node.batchNormalizationCost()
        case .layerNormalization(let axis, _): try node.layerNormalizationCost(axis: axis)
        case .lrn(let attributes): try node.lrnCost(size: attributes.size)
        case .softmax: try node.softmaxCost()
        case .add, .sub, .mul, .div, .pow, .equal, .greaterOrEqual, .max, .and, .isNaN, .where, .relu, .sigmoid, .tanh,
             .erf, .sqrt, .exp, .neg:
            try node.elementwiseCost(flopsPerElement: 1)
        case .clip: try node.elementwiseCost(flopsPerElement: [1, 2].filter(node.hasInput).count)
        case .scan(let attributes): try node.scanCost(attributes, rules: self)
        case .cast, .concat, .constant, .constantOfShape, .dropout, .expand, .flatten, .gather, .gatherND, .identity,
             .range, .reshape, .shape, .slice, .squeeze, .transpose, .unsqueeze:
            .free
        // Recurrent
        case .recurrent(let attributes): try node.recurrentCost(attributes)
        // Convolution, pooling and normalisation variants (CostRules+ConvNorm.swift)
        case .convTranspose: try node.convTransposeCost()
        case .lpPool(let attributes, _): try node.lpPoolCost(attributes)
        case .normalization(let normalization): try node.normalizationCost(normalization)
        case .maxUnpool: .free
        // Data movement and indexing
        case .movement(let op): try node.movementCost(op)
        // Reductions
        case .reduce(let operation, _): try node.reduceCost(operation)
        case .argReduce, .topK: try node.comparisonCost(perInputElement: 1)
        case .hardmax: try node.comparisonCost(perInputElement: 2)
        case .cumulative: try node.elementwiseCost(flopsPerElement: 1)
        case .logSoftmax: try node.logSoftmaxCost()
        // Elementwise family (CostRules+ElementwiseFamily.swift)
        case .unary, .binary, .variadic, .castLike: try node.elementwiseFamilyCost()
        // Losses; image sampling and folding (CostRules+Loss.swift, CostRules+Spatial.swift)
        case .loss(let attributes): try node.lossCost(attributes)
        case .spatial(let op): try node.spatialCost(op)
        // Algebra and signal (CostRules+AlgebraSignal.swift)
        case .algebra(let op): try node.algebraCost(op)
        case .signal(let op): try node.signalCost(op)
        // Spatial resampling (CostRules+Resample.swift)
        case .resample(let op): try node.resampleCost(op)
        // Attention and rotary embedding (CostRules+Attention.swift)
        case .attention(let op): try node.attentionCost(op)
        // Selection by value; regions (CostRules+Selection.swift)
        case .selection(let op): try node.selectionCost(op)
        case .region(let op): try node.regionCost(op)
        // Quantized operators (CostRules+Quantized.swift)
        case .quantized(let op): try node.quantizedCost(op)
        // Control flow (CostRules+ControlFlow.swift)
        case .controlFlow(let op): try node.controlFlowCost(op, rules: self)
        // Stateful decoding operators (CostRules+Stateful.swift)
        case .stateful(let op): try node.statefulCost(op)
        }
    }
}
