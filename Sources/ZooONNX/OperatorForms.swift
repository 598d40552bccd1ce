/// Which form of an operator each ONNX opset defines, for the operators we read and write:
/// the opset an operator appeared in, the opsets at which an attribute exists, and how many
/// inputs an operator takes where operands moved between attributes and inputs. The importer
/// refuses a node in a form its file's opset does not define; the writer refuses to write
/// one. Taken from the onnx package's schemas (`onnx.defs.get_schema`), and compared with
/// them by OperatorFormsTests.
enum OperatorForms {
    /// Operators newer than opset 1, by the opset that introduced them.
    static let introduced: [String: Int] = [
        "Erf": 9, "Where": 9, "IsNaN": 9, "ConstantOfShape": 9, "Expand": 8, "Scan": 8,
        "GatherND": 11, "Range": 11, "GreaterOrEqual": 12, "LayerNormalization": 17, "Gelu": 20,
        // Convolution, pooling and normalisation variants
        "MaxUnpool": 9, "MeanVarianceNormalization": 9, "GroupNormalization": 18, "RMSNormalization": 23,
        // Data movement and indexing
        "GatherElements": 11, "ScatterElements": 11, "ScatterND": 11, "OneHot": 9, "Trilu": 14, "EyeLike": 9, "ReverseSequence": 10,
        // Elementwise family
        "Sign": 9, "Sinh": 9, "Cosh": 9, "Asinh": 9, "Acosh": 9, "Atanh": 9, "Shrink": 9, "IsInf": 10, "Mod": 10,
        "ThresholdedRelu": 10, "Round": 11, "BitShift": 11, "Celu": 12, "LessOrEqual": 12, "HardSwish": 14,
        "CastLike": 15, "Mish": 18, "BitwiseAnd": 18, "BitwiseOr": 18, "BitwiseXor": 18, "BitwiseNot": 18,
    ].merging(reductionIntroduced) { ours, _ in ours }
        // Losses; image sampling and folding
        .merging(["SoftmaxCrossEntropyLoss": 12, "NegativeLogLikelihoodLoss": 12, "GridSample": 16, "AffineGrid": 20, "Col2Im": 18]) { ours, _ in ours }
        // Algebra and signal
        .merging(["Einsum": 12, "Det": 11, "BitCast": 26, "DFT": 17, "STFT": 17, "HannWindow": 17, "HammingWindow": 17,
                  "BlackmanWindow": 17, "MelWeightMatrix": 17]) { ours, _ in ours }
        .merging(resampleIntroduced) { ours, _ in ours }  // Spatial resampling
        .merging(["Attention": 23, "RotaryEmbedding": 23]) { ours, _ in ours }  // Attention and rotary embedding
        // Selection by value; regions
        .merging(["NonZero": 9, "Unique": 11, "Compress": 9, "NonMaxSuppression": 10, "RoiAlign": 10, "DeformConv": 19]) { ours, _ in ours }
        .merging(quantizedIntroduced) { ours, _ in ours }  // Quantized operators
        .merging(["Scatter": 9, "Swish": 24]) { ours, _ in ours }  // Op variants
        .merging(["TensorScatter": 24, "CausalConvWithState": 27, "LinearAttention": 27]) { ours, _ in ours }  // Stateful decoding operators

    /// Attributes that exist only at some opsets of their operator (all others exist at every
    /// opset of the operator that we read).
    static let attributeOpsets: [String: [String: ClosedRange<Int>]] = [
        "MaxPool": ["dilations": 10...Int.max, "ceil_mode": 10...Int.max, "storage_order": 8...Int.max],
        "AveragePool": ["dilations": 19...Int.max, "ceil_mode": 10...Int.max, "count_include_pad": 7...Int.max],
        "BatchNormalization": ["training_mode": 14...Int.max, "spatial": 1...8, "is_test": 1...6],
        "Cast": ["saturate": 19...Int.max],
        "Reshape": ["allowzero": 14...Int.max],
        "GatherND": ["batch_dims": 12...Int.max],
        "Shape": ["start": 15...Int.max, "end": 15...Int.max],
        "Unsqueeze": ["axes": 1...12], "Squeeze": ["axes": 1...12],
        "Slice": ["starts": 1...9, "ends": 1...9, "axes": 1...9],
        "Constant": ["value_float": 12...Int.max, "value_floats": 12...Int.max, "value_int": 12...Int.max,
                     "value_ints": 12...Int.max],
        "Dropout": ["seed": 12...Int.max, "ratio": 1...11, "is_test": 1...6],
        "LSTM": ["layout": 14...Int.max],
        "Scan": ["scan_input_axes": 9...Int.max, "scan_input_directions": 9...Int.max,
                 "scan_output_axes": 9...Int.max, "scan_output_directions": 9...Int.max],
        // Recurrent
        "GRU": ["layout": 14...Int.max, "linear_before_reset": 3...Int.max],
        "RNN": ["layout": 14...Int.max],
        // Convolution, pooling and normalisation variants
        "LpPool": ["dilations": 18...Int.max, "ceil_mode": 18...Int.max],
        "GroupNormalization": ["stash_type": 21...Int.max],
        // Data movement and indexing
        "Pad": ["pads": 2...10, "value": 1...10], "Split": ["split": 1...12, "num_outputs": 18...Int.max],
        "DepthToSpace": ["mode": 11...Int.max], "SpaceToDepth": ["mode": 28...Int.max],
        "ScatterElements": ["reduction": 16...Int.max], "ScatterND": ["reduction": 16...Int.max],
        // Elementwise family
        "CastLike": ["saturate": 19...Int.max],
    ].merging(reductionAttributeOpsets) { ours, _ in ours }
        // Algebra and signal
        .merging(["DFT": ["axis": 17...19]]) { ours, _ in ours }
        .merging(resampleAttributeOpsets) { ours, _ in ours }  // Spatial resampling
        // Attention and rotary embedding
        .merging(["Attention": ["left_window_size": 25...Int.max, "right_window_size": 25...Int.max]]) { ours, _ in ours }
        .merging(["RoiAlign": ["coordinate_transformation_mode": 16...Int.max]]) { ours, _ in ours }  // Regions
        .merging(quantizedAttributeOpsets) { ours, _ in ours }  // Quantized operators

    /// Input counts of operators whose operands moved between attributes and inputs: from
    /// each listed opset on (until the next entry), the node takes this many inputs.
    static let inputCounts: [String: [(from: Int, count: ClosedRange<Int>)]] = [
        "Gemm": [(1, 3...3), (11, 2...3)],
        "Clip": [(1, 1...1), (11, 1...3)],
        "Reshape": [(1, 1...1), (5, 2...2)],
        "Unsqueeze": [(1, 1...1), (13, 2...2)],
        "Squeeze": [(1, 1...1), (13, 1...2)],
        "Slice": [(1, 1...1), (10, 3...5)],
        "Dropout": [(1, 1...1), (12, 1...3)],
        // Data movement and indexing
        "Pad": [(1, 1...1), (11, 2...3), (18, 2...4)], "Split": [(1, 1...2), (2, 1...1), (13, 1...2)], "Tile": [(1, 3...3), (6, 2...2)],
    ].merging(reductionInputCounts) { ours, _ in ours }
        // Algebra and signal
        .merging(["DFT": [(17, 1...2), (20, 1...3)]]) { ours, _ in ours }
        .merging(resampleInputCounts) { ours, _ in ours }  // Spatial resampling
        .merging(["Attention": [(23, 3...6), (24, 3...7)]]) { ours, _ in ours }  // Attention and rotary embedding

    /// The input counts `opType` takes at `opset`, when they changed between opsets.
    static func inputCounts(of opType: String, at opset: Int) -> ClosedRange<Int>? {
        inputCounts[opType]?.last(where: { $0.from <= opset })?.count
    }

    /// Why a node of `opType` with these attributes and `inputCount` inputs (trailing empty
    /// names not counted) has no form at `opset`; nil when the opset defines it.
    static func mismatch(opType: String, opset: Int, attributes: [String], inputCount: Int) -> String? {
        if let first = introduced[opType], opset < first {
            return "the operator exists from opset \(first)"
        }
        for name in attributes.sorted() {
            guard let opsets = attributeOpsets[opType]?[name], !opsets.contains(opset) else { continue }
            return opset < opsets.lowerBound
                ? "attribute '\(name)' exists from opset \(opsets.lowerBound)"
                : "attribute '\(name)' exists up to opset \(opsets.upperBound)"
        }
        if let counts = inputCounts(of: opType, at: opset), !counts.contains(inputCount) {
            let expected = counts.count == 1 ? "\(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)"
            return "\(inputCount) input\(inputCount == 1 ? "" : "s") given, the opset defines \(expected)"
        }
        return nil
    }
}
