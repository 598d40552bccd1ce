import ZooGraph
import ZooTensor

/// An op as an ONNX node at one opset: its attributes, and the operands the IR holds as
/// attributes but that opset takes as inputs, written as Constant nodes feeding the node.
struct ONNXNodeForm {
    var attributes: [(String, AttributeValue)]
    var operandInputs: [(role: String, value: Tensor)] = []
}

extension Op {
    /// The node's form at `opset` (13 or later): the opset-17 attributes, with Reduce axes as
    /// an input from opset 18 (ReduceSum from 13). Older forms that need other ops are
    /// `OpsetLowering`'s business.
    func onnxForm(opset: Int) throws(TensorError) -> ONNXNodeForm {
        var form = ONNXNodeForm(attributes: onnxAttributes)
        switch self {
        // Reductions
        case .reduce(let operation, let attributes) where opset >= operation.axesInputOpset:
            form.attributes.removeAll { $0.0 == "axes" }
            if let axes = attributes.axes, !axes.isEmpty { form.operandInputs.append(("axes", try Tensor(int64Vector: axes))) }
        // Image sampling and folding: GridSample's mode names changed at opset 20
        case .spatial(let op): form.attributes = op.onnxAttributes(opset: opset)
        // Regions: RoiAlign's coordinate transformation exists from opset 16
        case .region(let op): form.attributes = op.onnxAttributes(opset: opset)
        default:
            break
        }
        return form
    }

    /// ONNX attributes at opset 17. Attributes equal to their ONNX default are still written
    /// when they carry shape information (kernel, strides, pads), so that readers see the
    /// geometry without consulting the spec.
    private var onnxAttributes: [(String, AttributeValue)] {
        var attributes: [(String, AttributeValue)] = []
        func add(_ name: String, _ value: AttributeValue?) {
            if let value { attributes.append((name, value)) }
        }
        func ints(_ values: [Int]?) -> AttributeValue? { values.map { .ints($0) } }
        func flag(_ value: Bool) -> AttributeValue? { value ? .int(1) : nil }
        func autoPad(_ value: AutoPad) -> AttributeValue? { value == .notSet ? nil : .string(value.rawValue) }

        switch self {
        case .conv(let a):
            add("kernel_shape", ints(a.kernelShape))
            add("strides", ints(a.strides))
            add("pads", ints(a.pads))
            add("dilations", ints(a.dilations))
            add("group", a.group == 1 ? nil : .int(a.group))
            add("auto_pad", autoPad(a.autoPad))
        case .maxPool(let a), .averagePool(let a), .lpPool(let a, _):
            add("kernel_shape", .ints(a.kernelShape))
            add("strides", ints(a.strides))
            add("pads", ints(a.pads))
            add("dilations", ints(a.dilations))
            add("ceil_mode", flag(a.ceilMode))
            if case .averagePool = self { add("count_include_pad", flag(a.countIncludePad)) }
            add("auto_pad", autoPad(a.autoPad))
            if case .maxPool = self { add("storage_order", a.storageOrder == 0 ? nil : .int(a.storageOrder)) }
            attributes += convNormAttributes
        case .lrn(let a):
            add("size", .int(a.size))
            add("alpha", .float(a.alpha))
            add("beta", .float(a.beta))
            add("bias", .float(a.bias))
        case .batchNormalization(let epsilon):
            add("epsilon", .float(epsilon))
        case .layerNormalization(let axis, let epsilon):
            add("axis", .int(axis))
            add("epsilon", .float(epsilon))
        case .gemm(let a):
            add("alpha", a.alpha == 1 ? nil : .float(a.alpha))
            add("beta", a.beta == 1 ? nil : .float(a.beta))
            add("transA", flag(a.transA))
            add("transB", flag(a.transB))
        case .cast(let target): add("to", .int(Int(target.onnxCode)))
        case .softmax(let axis): add("axis", .int(axis))
        case .concat(let axis): add("axis", .int(axis))
        case .reshape(let allowZero): add("allowzero", flag(allowZero))
        case .flatten(let axis): add("axis", .int(axis))
        case .transpose(let perm): add("perm", ints(perm))
        case .gather(let axis): add("axis", .int(axis))
        case .gatherND(let batchDims): add("batch_dims", batchDims == 0 ? nil : .int(batchDims))
        case .shape(let start, let end):
            add("start", start == 0 ? nil : .int(start))
            add("end", end.map { .int($0) })
        case .constant(let value): add("value", .tensor(value))
        // ONNX asks for a one-element 1-D tensor; the IR may hold the value as a scalar (the
        // importer's default when the attribute is absent).
        case .constantOfShape(let value): add("value", .tensor((try? value.reshaped(to: [1])) ?? value))
        case .lstm(let a): attributes += a.recurrent.onnxAttributes
        case .scan(let a):
            add("body", .graph(a.body))
            add("num_scan_inputs", .int(a.scanInputCount))
            add("scan_input_axes", ints(a.scanInputAxes))
            add("scan_input_directions", ints(a.scanInputDirections))
            add("scan_output_axes", ints(a.scanOutputAxes))
            add("scan_output_directions", ints(a.scanOutputDirections))
        // Reductions
        case .reduce(_, let a):
            // No axes reduce every axis; an empty list none, which only the axes-input form can say
            // (at older opsets the writer refuses the attribute, naming the node).
            add("axes", a.axes == [] ? nil : ints(a.axes))
            add("keepdims", a.keepDims ? nil : .int(0))
            add("noop_with_empty_axes", a.axes == [] || a.noopWithEmptyAxes ? .int(1) : nil)
        case .argReduce(let a):
            add("axis", .int(a.axis))
            add("keepdims", a.keepDims ? nil : .int(0))
            add("select_last_index", flag(a.selectLastIndex))
        case .cumulative(let a):
            add("exclusive", flag(a.exclusive))
            add("reverse", flag(a.reverse))
        case .topK(let a):
            add("axis", .int(a.axis))
            add("largest", a.largest ? nil : .int(0))
            add("sorted", a.sorted ? nil : .int(0))
        case .logSoftmax(let axis), .hardmax(let axis): add("axis", .int(axis))
        case .globalAveragePool, .globalMaxPool, .matMul, .add, .sub, .mul, .div, .pow, .relu, .sigmoid, .tanh,
             .erf, .sqrt, .exp, .neg, .where, .equal, .clip, .unsqueeze, .squeeze, .slice, .expand, .identity, .dropout,
             .greaterOrEqual, .max, .and, .isNaN, .range:
            break
        // Recurrent
        case .recurrent(let a): attributes += a.onnxAttributes
        // Convolution, pooling and normalisation variants
        case .convTranspose, .maxUnpool, .normalization: attributes = convNormAttributes
        // Data movement and indexing
        case .movement(let op): attributes = op.onnxAttributes
        // Elementwise family
        case .unary(let function): attributes = function.onnxAttributes
        case .binary(let operation): attributes = operation.onnxAttributes
        case .variadic, .castLike: break
        // Losses; image sampling and folding
        case .loss(let a): attributes = a.onnxAttributes
        case .spatial(let op): attributes = op.onnxAttributes(opset: 17)
        // Algebra and signal
        case .algebra(let op): attributes = op.onnxAttributes
        case .signal(let op): attributes = op.onnxAttributes
        // Spatial resampling
        case .resample(let op): attributes = op.onnxAttributes
        // Attention and rotary embedding
        case .attention(let op): attributes = op.onnxAttributes
        // Selection by value; regions
        case .selection(let op): attributes = op.onnxAttributes
        case .region(let op): attributes = op.onnxAttributes(opset: 17)
        // Quantized operators
        case .quantized(let op): attributes = op.onnxAttributes
        // Control flow: the subgraphs in `Op.subgraphs` order, as ModelWriter pairs them with their inferences
        case .controlFlow(let op): attributes = zip(op.subgraphAttributeNames, op.subgraphs).map { ($0, .graph($1)) }
        // Stateful decoding operators
        case .stateful(let op): attributes = op.onnxAttributes
        }
        return attributes
    }
}

extension Tensor {
    /// A rank-1 int64 tensor: the form of axes, bounds and shapes given as ONNX inputs.
    init(int64Vector values: [Int]) throws(TensorError) {
        try self.init(shape: [values.count], scalars: values.map { Int64($0) })
    }
}
