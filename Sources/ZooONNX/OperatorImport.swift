import ZooGraph
import ZooTensor

/// ONNX `op_type` + attributes → Op, one entry per operator, with ONNX's defaults and the
/// semantic changes between opsets that matter for our ops. An operator or attribute we
/// cannot represent is a `Problem`; the reader collects them all before failing.
struct OperatorImport {
    struct Problem: Error {
        var reason: String
    }

    let opType: String
    let domain: String
    let opset: Int
    let attributes: [String: AttributeValue]
    /// Attributes present in the file whose kind (subgraph, sparse tensor, type) we cannot hold.
    let unreadableAttributes: [String]
    /// Inputs given, trailing empty names (omitted optional inputs) not counted.
    let inputCount: Int
    /// Values of inputs that are initializers or Constant outputs, when known.
    let constantInput: (Int) -> Tensor?
    /// Constant operands the importer must add as new inputs, for ops whose attributes
    /// became inputs in later opsets (e.g. Unsqueeze's axes before opset 13).
    var appendedInputs: [(role: String, value: Tensor)] = []
    /// Inputs to drop, for ops whose inputs we hold as attributes (ReduceMax axes from opset 18).
    var droppedInputCount = 0
    /// Set for Softmax before opset 13, which flattens its input to 2-D at this axis, takes
    /// the softmax of each row and restores the shape: the importer writes exactly that.
    var coercedToMatrixAt: Int?
    /// Spatial resampling: where each of the node's inputs (appended ones included) goes in the
    /// op's input list, for ops whose operands moved (Upsample's scales are Resize's third).
    var inputPositions: [Int]?

    init(opType: String, domain: String, opset: Int, attributes: [String: AttributeValue],
         unreadableAttributes: [String] = [], inputCount: Int, constantInput: @escaping (Int) -> Tensor?) {
        self.unreadableAttributes = unreadableAttributes
        self.inputCount = inputCount
        self.opType = opType
        self.domain = domain
        self.opset = opset
        self.attributes = attributes
        self.constantInput = constantInput
    }

    /// The attributes we read, by operator.
    static let known: [String: Set<String>] = [
        "Conv": ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"],
        "MaxPool": ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "storage_order"],
        "AveragePool": ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "count_include_pad"],
        "LRN": ["size", "alpha", "beta", "bias"],
        "BatchNormalization": ["epsilon", "momentum", "training_mode", "spatial", "is_test"],
        "LayerNormalization": ["axis", "epsilon", "stash_type"],
        "Gemm": ["alpha", "beta", "transA", "transB"],
        "Cast": ["to", "saturate"],
        "Softmax": ["axis"], "Concat": ["axis"], "Flatten": ["axis"], "Gather": ["axis"],
        "Reshape": ["allowzero"], "Slice": ["starts", "ends", "axes"], "Transpose": ["perm"], "Shape": ["start", "end"],
        "Unsqueeze": ["axes"], "Squeeze": ["axes"], "Constant": ["value", "value_float", "value_floats", "value_int", "value_ints"], "ConstantOfShape": ["value"],
        "LSTM": ["hidden_size", "direction", "layout", "clip", "input_forget", "activations", "activation_alpha", "activation_beta"],
        "Dropout": ["seed", "ratio", "is_test"],
        "GatherND": ["batch_dims"], "Gelu": ["approximate"],
        "Clip": [],
        "Scan": ["body", "num_scan_inputs", "scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions"],
        // Recurrent
        "GRU": ["hidden_size", "direction", "layout", "clip", "linear_before_reset", "activations", "activation_alpha", "activation_beta"],
        "RNN": ["hidden_size", "direction", "layout", "clip", "activations", "activation_alpha", "activation_beta"],
        // Data movement and indexing
        "Pad": ["mode", "pads", "value"], "Split": ["axis", "split", "num_outputs"], "Tile": [], "DepthToSpace": ["blocksize", "mode"],
        "SpaceToDepth": ["blocksize", "mode"], "GatherElements": ["axis"], "ScatterElements": ["axis", "reduction"], "ScatterND": ["reduction"],
        "OneHot": ["axis"], "Trilu": ["upper"], "EyeLike": ["dtype", "k"], "ReverseSequence": ["batch_axis", "time_axis"], "Size": [],
        // Elementwise family
        "LeakyRelu": ["alpha"], "Elu": ["alpha"], "Selu": ["alpha", "gamma"], "Celu": ["alpha"], "HardSigmoid": ["alpha", "beta"],
        "ThresholdedRelu": ["alpha"], "Shrink": ["bias", "lambd"], "IsInf": ["detect_negative", "detect_positive"],
        "Mod": ["fmod"], "BitShift": ["direction"], "CastLike": ["saturate"],
        // Op variants
        "Swish": ["alpha"],
    ].merging(convNormKnown) { _, family in family }.merging(reductionAttributes) { ours, _ in ours }
        // Losses; image sampling and folding
        .merging(lossKnown) { ours, _ in ours }.merging(spatialKnown) { ours, _ in ours }
        // Algebra and signal
        .merging(algebraSignalKnown) { ours, _ in ours }
        .merging(resampleKnown) { ours, _ in ours }  // Spatial resampling
        .merging(attentionKnown) { ours, _ in ours }  // Attention and rotary embedding
        .merging(selectionRegionKnown) { ours, _ in ours }  // Selection by value; regions
        .merging(quantizedKnown) { ours, _ in ours }  // Quantized operators
        .merging(variantKnown) { ours, _ in ours }  // Op variants: Scatter read as ScatterElements
        .merging(controlFlowKnown) { ours, _ in ours }  // Control flow
        .merging(statefulKnown) { ours, _ in ours }  // Stateful decoding operators

    mutating func makeOp() throws(Problem) -> Op {
        guard domain.isEmpty || domain == "ai.onnx" else { throw Problem(reason: "operators of domain '\(domain)' are not supported") }
        // A form the file's opset does not define is refused before it is read as another.
        if let mismatch = OperatorForms.mismatch(opType: opType, opset: opset, attributes: Array(attributes.keys),
                                                 inputCount: inputCount) {
            throw Problem(reason: mismatch)
        }
        let op = try makeKnownOp()
        let allowed = Self.known[opType] ?? []
        if let unknown = (Array(attributes.keys) + unreadableAttributes).sorted().first(where: { !allowed.contains($0) }) {
            throw Problem(reason: "attribute '\(unknown)' is not supported")
        }
        return op
    }

    private mutating func makeKnownOp() throws(Problem) -> Op {
        switch opType {
        case "Conv":
            return .conv(ConvAttributes(
                kernelShape: try ints("kernel_shape"), strides: try ints("strides"), pads: try ints("pads"),
                dilations: try ints("dilations"), group: try int("group", default: 1), autoPad: try autoPad()))
        case "MaxPool":
            var attributes = try pool(countIncludePad: false)
            attributes.storageOrder = try int("storage_order", default: 0)
            return .maxPool(attributes)
        case "AveragePool":
            return .averagePool(try pool(countIncludePad: try int("count_include_pad", default: 0) != 0))
        case "GlobalAveragePool": return .globalAveragePool
        case "GlobalMaxPool": return .globalMaxPool
        case "LRN":
            return .lrn(LRNAttributes(size: try required(int("size", default: nil), "size"),
                                      alpha: try float("alpha", default: 0.0001), beta: try float("beta", default: 0.75),
                                      bias: try float("bias", default: 1)))
        case "BatchNormalization":
            guard try int("spatial", default: 1) == 1 else {
                throw Problem(reason: "spatial=0 (per-element statistics) is not supported")
            }
            guard try int("is_test", default: 1) == 1 else { throw Problem(reason: "is_test=0 (training) is not supported") }
            if try int("training_mode", default: 0) != 0 {
                return .normalization(.batchTraining(epsilon: try float("epsilon", default: 1e-5), momentum: try float("momentum", default: 0.9)))
            }
            return .batchNormalization(epsilon: try float("epsilon", default: 1e-5))
        case "LayerNormalization":
            return .layerNormalization(axis: try int("axis", default: -1), epsilon: try float("epsilon", default: 1e-5))
        case "Gemm":
            return .gemm(GemmAttributes(alpha: try float("alpha", default: 1), beta: try float("beta", default: 1),
                                        transA: try int("transA", default: 0) != 0, transB: try int("transB", default: 0) != 0))
        case "MatMul": return .matMul
        case "Add": return .add
        case "Sub": return .sub
        case "Mul": return .mul
        case "Div": return .div
        case "Pow": return .pow
        case "Relu": return .relu
        case "Sigmoid": return .sigmoid
        case "Tanh": return .tanh
        case "Erf": return .erf
        case "Sqrt": return .sqrt
        case "Exp": return .exp
        case "Neg": return .neg
        case "Where": return .where
        case "Equal": return .equal
        case "GreaterOrEqual": return .greaterOrEqual
        case "Max":
            return inputCount == 2 ? .max : .variadic(.max)
        case "And": return .and
        case "IsNaN": return .isNaN
        case "Identity": return .identity
        case "Dropout":
            // Training mode is refused here when its values are constants, else by the kernel.
            if inputCount > 2, let mode = constantInput(2), let ratio = constantInput(1),
               !DropoutTraining.isDeterministic(trainingMode: mode, ratio: ratio) {
                throw Problem(reason: DropoutTraining.refusal)
            }
            return .dropout
        case "Cast":
            let code = try required(int("to", default: nil), "to")
            // A code beyond 32 bits is no data type (truncated, 2^32 + 1 would read as float).
            guard let narrowed = Int32(exactly: code) else { throw Problem(reason: "cast to data type \(code) is not supported") }
            guard let target = DType(onnxCode: narrowed) else {
                throw Problem(reason: "cast to \(DType.onnxName(of: narrowed)) is not supported")
            }
            return .cast(to: target)
        case "Softmax":
            guard opset >= 13 else {
                coercedToMatrixAt = try int("axis", default: 1)
                return .softmax(axis: -1)
            }
            return .softmax(axis: try int("axis", default: -1))
        case "Concat": return .concat(axis: try required(int("axis", default: nil), "axis"))
        case "Reshape": return .reshape(allowZero: try int("allowzero", default: 0) != 0)
        case "Flatten": return .flatten(axis: try int("axis", default: 1))
        case "Transpose": return .transpose(perm: try ints("perm"))
        case "Gather": return .gather(axis: try int("axis", default: 0))
        case "GatherND": return .gatherND(batchDims: try int("batch_dims", default: 0))
        case "Unsqueeze", "Squeeze":
            if opset < 13, let axes = try ints("axes") {
                appendedInputs.append(("axes", try Self.int64Tensor(axes)))
            }
            return opType == "Unsqueeze" ? .unsqueeze : .squeeze
        case "Shape": return .shape(start: try int("start", default: 0), end: try int("end", default: nil))
        case "Slice":
            if opset < 10 {
                // Bounds were attributes; since opset 10 they are inputs.
                let starts = try required(ints("starts"), "starts"), ends = try required(ints("ends"), "ends")
                appendedInputs += [("starts", try Self.int64Tensor(starts)), ("ends", try Self.int64Tensor(ends))]
                if let axes = try ints("axes") { appendedInputs.append(("axes", try Self.int64Tensor(axes))) }
            }
            return .slice
        case "Expand": return .expand
        case "Range": return .range
        case "Constant":
            return .constant(try constantValue())
        case "ConstantOfShape":
            return .constantOfShape(value: try tensor("value") ?? Tensor(scalar: Float(0)))
        case "LSTM": return try recurrentOp()
        case "Clip":
            guard opset >= 11 else { throw Problem(reason: "Clip before opset 11 (bounds as attributes) is not supported") }
            return .clip
        case "Scan":
            guard opset >= 9 else { throw Problem(reason: "Scan before opset 9 (with a batch axis and sequence_lens) is not supported") }
            return .scan(ScanAttributes(
                body: try required(graph("body"), "body"), scanInputCount: try required(int("num_scan_inputs", default: nil), "num_scan_inputs"),
                scanInputAxes: try ints("scan_input_axes"), scanInputDirections: try ints("scan_input_directions"),
                scanOutputAxes: try ints("scan_output_axes"), scanOutputDirections: try ints("scan_output_directions")))
        // Recurrent
        case "GRU", "RNN": return try recurrentOp()
        // Convolution, pooling and normalisation variants
        case "ConvTranspose", "LpPool", "MaxUnpool", "InstanceNormalization", "GroupNormalization",
             "RMSNormalization", "MeanVarianceNormalization":
            return try makeConvNormOp()
        // Data movement and indexing
        case "Pad", "Split", "Tile", "DepthToSpace", "SpaceToDepth", "GatherElements", "ScatterElements", "ScatterND", "OneHot",
             "Trilu", "EyeLike", "ReverseSequence", "Size":
            return .movement(try makeMovementOp())
        // Reductions
        case _ where Self.reductionAttributes[opType] != nil: return try makeReductionOp()
        // Elementwise family
        case _ where Self.elementwiseOpTypes.contains(opType): return try makeElementwiseOp()
        // Losses; image sampling and folding
        case _ where Self.lossKnown[opType] != nil: return try makeLossOp()
        case _ where Self.spatialKnown[opType] != nil: return .spatial(try makeSpatialOp())
        // Algebra and signal
        case _ where Self.algebraSignalKnown[opType] != nil: return try makeAlgebraSignalOp()
        // Spatial resampling
        case "Resize", "Upsample", "CenterCropPad": return .resample(try makeResampleOp())
        // Attention and rotary embedding
        case _ where Self.attentionKnown[opType] != nil: return .attention(try makeAttentionOp())
        // Selection by value; regions
        case _ where Self.selectionRegionKnown[opType] != nil: return try makeSelectionRegionOp()
        // Quantized operators
        case _ where Self.quantizedKnown[opType] != nil: return .quantized(try makeQuantizedOp())
        // Op variants read as other ops
        case _ where Self.variantKnown[opType] != nil: return try makeVariantOp()
        // Control flow
        case "If", "Loop": return .controlFlow(try makeControlFlowOp())
        // Stateful decoding operators
        case _ where Self.statefulKnown[opType] != nil: return .stateful(try makeStatefulOp())
        default:
            throw Problem(reason: "operator is not supported")
        }
    }

    // MARK: attribute access with type checks

    private func value(_ name: String) -> AttributeValue? { attributes[name] }

    func int(_ name: String, default fallback: Int?) throws(Problem) -> Int? {
        switch value(name) {
        case nil: return fallback
        case .int(let value): return value
        default: throw Problem(reason: "attribute '\(name)' must be an integer")
        }
    }

    func int(_ name: String, default fallback: Int) throws(Problem) -> Int {
        try int(name, default: Optional(fallback)) ?? fallback
    }

    func ints(_ name: String) throws(Problem) -> [Int]? {
        switch value(name) {
        case nil: return nil
        case .ints(let values): return values
        default: throw Problem(reason: "attribute '\(name)' must be a list of integers")
        }
    }

    func float(_ name: String, default fallback: Float?) throws(Problem) -> Float? {
        switch value(name) {
        case nil: return fallback
        case .float(let value): return value
        default: throw Problem(reason: "attribute '\(name)' must be a float")
        }
    }

    func float(_ name: String, default fallback: Float) throws(Problem) -> Float {
        try float(name, default: Optional(fallback)) ?? fallback
    }

    func string(_ name: String) throws(Problem) -> String? {
        switch value(name) {
        case nil: return nil
        case .string(let value): return value
        default: throw Problem(reason: "attribute '\(name)' must be a string")
        }
    }

    func strings(_ name: String) throws(Problem) -> [String]? {
        switch value(name) {
        case nil: return nil
        case .strings(let values): return values
        default: throw Problem(reason: "attribute '\(name)' must be a list of strings")
        }
    }

    private func tensor(_ name: String) throws(Problem) -> Tensor? {
        switch value(name) {
        case nil: return nil
        case .tensor(let value): return value
        default: throw Problem(reason: "attribute '\(name)' must be a tensor")
        }
    }

    func graph(_ name: String) throws(Problem) -> Graph? {
        switch value(name) {
        case nil: return nil
        case .graph(let value): return value
        default: throw Problem(reason: "attribute '\(name)' must be a graph")
        }
    }

    /// Constant's value: a tensor, or (from opset 12) a scalar or list attribute.
    private func constantValue() throws(Problem) -> Tensor {
        if let value = try tensor("value") { return value }
        func make(_ body: () throws(TensorError) -> Tensor) throws(Problem) -> Tensor {
            do { return try body() } catch { throw Problem(reason: "value: \(error)") }
        }
        switch (attributes["value_float"], attributes["value_floats"], attributes["value_int"], attributes["value_ints"]) {
        case (.float(let value)?, nil, nil, nil): return Tensor(scalar: value)
        case (nil, .floats(let values)?, nil, nil):
            return try make { () throws(TensorError) in try Tensor(shape: [values.count], scalars: values) }
        case (nil, nil, .int(let value)?, nil): return Tensor(scalar: Int64(value))
        case (nil, nil, nil, .ints(let values)?): return try Self.int64Tensor(values)
        default: throw Problem(reason: "Constant needs exactly one supported value attribute (value, value_float(s), value_int(s))")
        }
    }

    func required<Value>(_ value: Value?, _ name: String) throws(Problem) -> Value {
        guard let value else { throw Problem(reason: "required attribute '\(name)' is missing") }
        return value
    }

    func autoPad() throws(Problem) -> AutoPad {
        let name = try string("auto_pad") ?? "NOTSET"
        guard let value = AutoPad(rawValue: name) else { throw Problem(reason: "auto_pad '\(name)' is not valid") }
        return value
    }

    func pool(countIncludePad: Bool) throws(Problem) -> PoolAttributes {
        PoolAttributes(kernelShape: try required(ints("kernel_shape"), "kernel_shape"), strides: try ints("strides"),
                       pads: try ints("pads"), dilations: try ints("dilations"),
                       ceilMode: try int("ceil_mode", default: 0) != 0, countIncludePad: countIncludePad,
                       autoPad: try autoPad())
    }

    static func int64Tensor(_ values: [Int]) throws(Problem) -> Tensor {
        do { return try Tensor(int64Vector: values) } catch {
            throw Problem(reason: "\(values.count) integer values do not fit in a tensor: \(error)")
        }
    }
}
