// Contract: rank-4 Conv nodes, and the pooling, elementwise and channel-Concat nodes whose
// activation inputs are all channels-last, store their activations channels-last (NHWC),
// so that a chain of convolutions runs in the layout oneDNN's fastest kernels read and write
// with no reorder at each edge, and a residual Add fused into a convolution reads its operand
// in the same layout (with a plain operand oneDNN falls back to a reference kernel). Identity
// nodes marked `reordersFrom` convert where a value crosses between layouts: the network's
// input, Flatten before the classifier. Nodes producing a graph output stay plain.
import ZooGraph

extension PlanGraph {
    mutating func keepActivationsChannelsLast() {
        var stored: [String: ActivationLayout] = [:]
        var conversions: [String: String] = [:]
        var rewritten: [PlanNode] = []

        /// The name of `value` stored in `layout`, inserting the conversion on first use.
        func value(_ value: String, in layout: ActivationLayout) -> String {
            let current = stored[value, default: .plain]
            // [N, C, 1, 1] is the same bytes in both layouts.
            let isPointwise = types[value].map { $0.rank == 4 && $0.shape[2] * $0.shape[3] == 1 } ?? false
            guard current != layout, !isPointwise else { return value }
            let name = "\(value)#\(layout == .channelsLast ? "nhwc" : "nchw")"
            if conversions[name] == nil {
                conversions[name] = name
                rewritten.append(PlanNode(name: name, op: .identity, inputs: [value], outputs: [name],
                                          layout: layout, reordersFrom: current))
                types[name] = types[value]
                stored[name] = layout
            }
            return name
        }

        let graphOutputs = Set(outputs)
        for var node in nodes {
            let activations = channelsLastOperands(of: node)
            let isCandidate = activations != nil && !node.outputs.contains(where: graphOutputs.contains)
            let joinsChain = if case .conv = node.op { true } else {
                activations?.allSatisfy { stored[node.inputs[$0]] == .channelsLast } ?? false
            }
            node.layout = isCandidate && joinsChain ? .channelsLast : .plain
            for index in node.inputs.indices where !node.inputs[index].isEmpty && constants[node.inputs[index]] == nil {
                let wanted: ActivationLayout = node.layout == .channelsLast && activations!.contains(index) ? .channelsLast : .plain
                node.inputs[index] = value(node.inputs[index], in: wanted)
            }
            // A subgraph (a Scan's body) reads the enclosing graph's values as ONNX lays them out.
            node.implicitInputs = node.implicitInputs.map { constants[$0] == nil ? value($0, in: .plain) : $0 }
            node.epilogue = node.epilogue.map { step in
                guard case .add(let operand) = step else { return step }
                return .add(value(operand, in: node.layout))
            }
            for output in node.outputs where !output.isEmpty {
                stored[output] = node.layout == .channelsLast && !node.op.writesPlainOutput ? .channelsLast : .plain
            }
            rewritten.append(node)
        }
        nodes = rewritten
    }

    /// The input positions a node reads as activations when it runs channels-last, or nil
    /// when its kernel has no channels-last form for these operands. A global pool's output
    /// is [N, C, 1, 1], the same bytes in either layout, so it hands on a plain value; so
    /// does a reduction over width (and height), whose kernel writes the plain layout.
    /// The operands of an elementwise Add, Sub, Mul or Div read channels-last: those shaped
    /// like the output. The others must be stored the same in both layouts, read as they are:
    /// one element, or [N or 1, C or 1, 1, 1] (a squeeze-excitation gate, a per-channel scale).
    private func binaryActivationOperands(of node: PlanNode) -> [Int]? {
        guard node.inputs.count == 2, let output = types[node.outputs[0]] else { return nil }
        var activations: [Int] = []
        for (index, name) in node.inputs.enumerated() {
            guard let type = types[name], type.dtype == .float32 else { return nil }
            if type.shape == output.shape, constants[name] == nil {
                activations.append(index)
            } else if !(type.elementCount == 1 || (type.rank == 4 && type.shape[2] == 1 && type.shape[3] == 1)) {
                return nil
            }
        }
        return activations.isEmpty ? nil : activations
    }

    private func channelsLastOperands(of node: PlanNode) -> [Int]? {
        guard let first = node.input(0), types[first]?.rank == 4, types[first]?.dtype == .float32 else { return nil }
        let single = constants[first] == nil ? [0] : nil
        switch node.op {
        case .conv: return single
        case .maxPool: return node.outputs.dropFirst().allSatisfy(\.isEmpty) ? single : nil
        // oneDNN's include-padding average divides by the whole window, also where ceil_mode
        // adds a window part past the end padding; ONNX counts only the padded positions.
        case .averagePool(let attributes): return attributes.ceilMode && attributes.countIncludePad ? nil : single
        case .globalAveragePool, .globalMaxPool: return single
        case .reduce(let operation, let attributes):
            return node.input(1) == nil && ChannelsLastReduceKernel.handles(operation, attributes) ? single : nil
        case .relu, .sigmoid, .tanh, .erf, .sqrt, .exp, .neg: return single
        // Elementwise with scalar bounds, whatever the layout; run-time bounds may be tensors.
        case .clip: return node.inputs.dropFirst().allSatisfy({ $0.isEmpty || constants[$0] != nil }) ? single : nil
        case .add, .sub, .mul, .div: return binaryActivationOperands(of: node)
        case .concat(let axis):
            guard axis == 1 || axis == -3, node.inputs.allSatisfy({ types[$0]?.rank == 4 && constants[$0] == nil }) else { return nil }
            return Array(node.inputs.indices)
        default: return nil
        }
    }
}

extension Op {
    /// Ops whose channels-last kernel reads NHWC but writes the plain layout.
    var writesPlainOutput: Bool {
        switch self {
        case .globalAveragePool, .globalMaxPool, .reduce: true
        default: false
        }
    }
}
