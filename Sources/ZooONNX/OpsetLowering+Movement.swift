import ZooGraph
import ZooTensor

// Data movement and indexing at opsets older than the IR's form:
// - Split without sizes: from 18 it names its chunk count (num_outputs); before 18 the
//   chunks must be equal, so an uneven split is written with explicit sizes;
// - Pad's axes input (18): before 18 the pads are widened to every axis;
// - Pad's wrap mode (19) and the scatter reductions max and min (18) have no older form.
extension OpsetLowering {
    func lowerMovement(_ node: Node, _ op: MovementOp, inference: ShapeInference.Result) throws(ONNXError) -> [Node] {
        func refuse(_ reason: String) -> ONNXError {
            .exportFailed(reason: "node '\(node.name)' (\(op.onnxName)) has no form at opset \(opset): \(reason)")
        }
        switch op {
        case .split(let axis, _) where node.input(1) == nil:
            if opset >= 18 {
                return [Node(name: node.name, op: .movement(.split(axis: axis, numOutputs: node.outputs.count)),
                             inputs: node.inputs, outputs: node.outputs)]
            }
            var written = Node(name: node.name, op: .movement(.split(axis: axis, numOutputs: nil)), inputs: node.inputs, outputs: node.outputs)
            guard let type = inference.types[node.inputs[0]], (-type.rank..<type.rank).contains(axis),
                  let length = type.dims[axis < 0 ? axis + type.rank : axis].value,
                  length % node.outputs.count != 0 else { return [written] }
            guard let sizes = MovementOp.chunkSizes(length: length, count: node.outputs.count) else {
                throw refuse("its axis of \(length) cannot be split into \(node.outputs.count) chunks")
            }
            let constant = try constantNode("\(node.name)/split", sizes, of: node)
            written.inputs = [node.inputs[0], constant.name]
            return [constant, written]
        case .pad(let mode) where mode == .wrap && opset < 19:
            throw refuse("mode 'wrap' exists from opset 19")
        case .pad where opset < 18 && node.input(3) != nil:
            guard let pads = inference.constants[node.inputs[1]]?.integerValues,
                  let axes = inference.constants[node.inputs[3]]?.integerValues,
                  let rank = inference.types[node.inputs[0]]?.rank, pads.count == 2 * axes.count else {
                throw refuse("its pads and axes must be constants to be written without axes (an input from opset 18)")
            }
            var full = Array(repeating: 0, count: 2 * rank)
            for (position, axis) in axes.enumerated() where (-rank..<rank).contains(axis) {
                let resolved = axis < 0 ? axis + rank : axis
                full[resolved] = pads[position]
                full[resolved + rank] = pads[position + axes.count]
            }
            let constant = try constantNode("\(node.name)/pads", full, of: node)
            let inputs = [node.inputs[0], constant.name, node.input(2) ?? ""]
            return [constant, Node(name: node.name, op: node.op, inputs: inputs, outputs: node.outputs)]
        case .scatterElements(_, let reduction) where opset < 18 && (reduction == .max || reduction == .min),
             .scatterND(let reduction) where opset < 18 && (reduction == .max || reduction == .min):
            throw refuse("reduction '\(reduction.rawValue)' exists from opset 18")
        default:
            return [node]
        }
    }

    private func constantNode(_ name: String, _ values: [Int], of node: Node) throws(ONNXError) -> Node {
        let tensor: Tensor
        do { tensor = try Tensor(int64Vector: values) } catch {
            throw .exportFailed(reason: "node '\(node.name)' (\(node.op.onnxName)): \(error)")
        }
        return Node(name: name, op: .constant(tensor), inputs: [], outputs: [name])
    }
}
