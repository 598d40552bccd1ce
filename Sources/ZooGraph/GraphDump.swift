import ZooTensor

extension Graph {
    /// A readable listing: inputs, parameters, one line per node with its output types,
    /// outputs; a Scan's body is listed under its node, indented. Shape inference fills in
    /// the types; a graph that fails it is listed without.
    public var textDump: String {
        dumpLines(inferred: try? ShapeInference.run(self), indent: "", depth: 0).joined(separator: "\n")
    }

    private func dumpLines(inferred: ShapeInference.Result?, indent: String, depth: Int) -> [String] {
        let types = inferred?.types ?? [:]
        func typed(_ name: String) -> String {
            name.isEmpty ? "∅" : types[name].map { "\(name): \($0)" } ?? name
        }
        var lines = ["\(indent)graph \(name) {"]
        for input in inputs { lines.append("\(indent)  input  \(input.name): \(input.type)") }
        for initializer in initializers {
            lines.append("\(indent)  param  \(initializer.name): \(initializer.tensor.dtype)\(initializer.tensor.shape)")
        }
        let order = inferred?.order ?? Array(nodes.indices)
        for index in order {
            let node = nodes[index]
            let attributes = node.op.attributeSummary
            lines.append("\(indent)  \(node.outputs.map(typed).joined(separator: ", ")) = \(node.op.onnxName)"
                + (attributes.isEmpty ? "" : "[\(attributes)]")
                + "(\(node.inputs.map { $0.isEmpty ? "∅" : $0 }.joined(separator: ", ")))  # \(node.name)")
            for (position, subgraph) in node.op.subgraphs.enumerated() {
                // An unvalidated graph may nest without bound; the listing stops where validation would.
                guard depth < Self.maximumSubgraphDepth else {
                    lines.append("\(indent)    graph \(subgraph.name) { … }")
                    continue
                }
                lines += subgraph.dumpLines(inferred: inferred?.subgraph(position, of: node.name), indent: indent + "    ", depth: depth + 1)
            }
        }
        for output in outputs { lines.append("\(indent)  output \(output.name): \(output.type)") }
        lines.append("\(indent)}")
        return lines
    }
}

extension Op {
    /// Attributes that differ from their defaults, as `name=value` pairs.
    public var attributeSummary: String {
        func list(_ pairs: [(String, Any?)]) -> String {
            pairs.compactMap { name, value in value.map { "\(name)=\($0)" } }.joined(separator: ", ")
        }
        func recurrentList(_ a: RecurrentAttributes) -> String {
            var linearBeforeReset: Int?
            if case .gru(true) = a.cell { linearBeforeReset = 1 }
            var inputForget: Int?
            if case .lstm(true) = a.cell { inputForget = 1 }
            return list([("hidden_size", a.hiddenSize), ("direction", a.direction.rawValue),
                         ("layout", a.layout == 0 ? nil : a.layout), ("clip", a.clip),
                         ("linear_before_reset", linearBeforeReset), ("input_forget", inputForget),
                         ("activations", a.activations.isEmpty ? nil : a.activations.map(\.description))])
        }
        switch self {
        case .conv(let a):
            return list([("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads),
                         ("dilations", a.dilations), ("group", a.group == 1 ? nil : a.group),
                         ("auto_pad", a.autoPad == .notSet ? nil : a.autoPad.rawValue)])
        case .maxPool(let a), .averagePool(let a), .lpPool(let a, _):
            return list([("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads),
                         ("dilations", a.dilations), ("ceil_mode", a.ceilMode ? 1 : nil),
                         ("count_include_pad", a.countIncludePad ? 1 : nil),
                         ("auto_pad", a.autoPad == .notSet ? nil : a.autoPad.rawValue),
                         ("storage_order", a.storageOrder == 0 ? nil : a.storageOrder), ("p", lpPoolExponent)])
        case .lrn(let a): return list([("size", a.size), ("alpha", a.alpha), ("beta", a.beta), ("bias", a.bias)])
        case .batchNormalization(let epsilon): return list([("epsilon", epsilon)])
        case .layerNormalization(let axis, let epsilon): return list([("axis", axis), ("epsilon", epsilon)])
        case .gemm(let a):
            return list([("alpha", a.alpha == 1 ? nil : a.alpha), ("beta", a.beta == 1 ? nil : a.beta),
                         ("transA", a.transA ? 1 : nil), ("transB", a.transB ? 1 : nil)])
        case .cast(let to): return list([("to", to)])
        case .softmax(let axis): return list([("axis", axis)])
        case .concat(let axis): return list([("axis", axis)])
        case .reshape(let allowZero): return list([("allowzero", allowZero ? 1 : nil)])
        case .flatten(let axis): return list([("axis", axis)])
        case .transpose(let perm): return list([("perm", perm)])
        case .gather(let axis): return list([("axis", axis)])
        case .shape(let start, let end): return list([("start", start == 0 ? nil : start), ("end", end)])
        case .constant(let value): return "value=\(value)"
        case .constantOfShape(let value): return "value=\(value)"
        case .lstm(let a): return recurrentList(a.recurrent)
        case .scan(let a):
            return list([("num_scan_inputs", a.scanInputCount), ("scan_input_axes", a.scanInputAxes),
                         ("scan_input_directions", a.scanInputDirections), ("scan_output_axes", a.scanOutputAxes),
                         ("scan_output_directions", a.scanOutputDirections)])
        // Recurrent
        case .recurrent(let a): return recurrentList(a)
        // Convolution, pooling and normalisation variants
        case .convTranspose(let a):
            return list([("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads),
                         ("dilations", a.dilations), ("group", a.group == 1 ? nil : a.group),
                         ("auto_pad", a.autoPad == .notSet ? nil : a.autoPad.rawValue),
                         ("output_padding", a.outputPadding), ("output_shape", a.outputShape)])
        case .maxUnpool(let a): return list([("kernel_shape", a.kernelShape), ("strides", a.strides), ("pads", a.pads)])
        case .normalization(.instance(let epsilon)): return list([("epsilon", epsilon)])
        case .normalization(.group(let groupCount, let epsilon, let perGroupAffine)):
            return list([("num_groups", groupCount), ("epsilon", epsilon), ("affine", perGroupAffine ? "per group" : nil)])
        case .normalization(.rms(let axis, let epsilon)): return list([("axis", axis), ("epsilon", epsilon)])
        case .normalization(.meanVariance(let axes)): return list([("axes", axes)])
        case .normalization(.batchTraining(let epsilon, let momentum)): return list([("epsilon", epsilon), ("momentum", momentum), ("training_mode", 1)])
        // Data movement and indexing
        case .movement(let op): return list(op.attributeSummary)
        // Reductions
        case .reduce(_, let a): return list([("axes", a.axes), ("keepdims", a.keepDims ? nil : 0), ("noop_with_empty_axes", a.noopWithEmptyAxes ? 1 : nil)])
        case .argReduce(let a):
            return list([("axis", a.axis), ("keepdims", a.keepDims ? nil : 0), ("select_last_index", a.selectLastIndex ? 1 : nil)])
        case .cumulative(let a): return list([("exclusive", a.exclusive ? 1 : nil), ("reverse", a.reverse ? 1 : nil)])
        case .topK(let a): return list([("axis", a.axis), ("largest", a.largest ? nil : 0), ("sorted", a.sorted ? nil : 0)])
        case .logSoftmax(let axis), .hardmax(let axis): return list([("axis", axis)])
        // Losses; image sampling and folding
        case .loss(let a): return list(a.attributeSummary)
        case .spatial(let op): return list(op.attributeSummary)
        // Algebra and signal
        case .algebra(let op): return list(op.attributeSummary)
        case .signal(let op): return list(op.attributeSummary)
        // Spatial resampling
        case .resample(let op): return list(op.attributeSummary)
        // Attention and rotary embedding
        case .attention(let op): return list(op.attributeSummary)
        // Selection by value; regions
        case .selection(let op): return list(op.attributeSummary)
        case .region(let op): return list(op.attributeSummary)
        // Quantized operators
        case .quantized(let op): return list(op.attributeSummary)
        // Stateful decoding operators
        case .stateful(let op): return list(op.attributeSummary)
        default: return ""
        }
    }
}
