import ZooGraph
import ZooTensor

/// Graph → Graph for a target opset older than the IR's (17): every op whose opset-17 form
/// the target lacks is rewritten into ops that compute the same values there, Scan bodies
/// included. Rewrites:
/// - Shape with `start`/`end` (opset 15) → Shape, then Slice of the result;
/// - LayerNormalization (opset 17) → its function body (`LayerNormalizationBody`);
/// - Gelu (opset 20) → its function body (`GeluBody`).
/// Forms no rewrite covers (e.g. LSTM's `layout` before 14) are left for the writer's check
/// against `OperatorForms`, which refuses them naming the node.
struct OpsetLowering {
    let opset: Int

    func lower(_ graph: Graph) throws(ONNXError) -> Graph {
        let inference: ShapeInference.Result
        do { inference = try ShapeInference.run(graph) } catch { throw .exportFailed(reason: error.description) }
        return try lower(graph, inference: inference)
    }

    private func lower(_ graph: Graph, inference: ShapeInference.Result) throws(ONNXError) -> Graph {
        var lowered = graph
        lowered.nodes = []
        for node in graph.nodes {
            switch node.op {
            case .shape(let start, let end) where opset < 15 && (start != 0 || end != nil):
                lowered.nodes += try Self.shapeSlice(of: node, start: start, end: end)
            case .layerNormalization(let axis, let epsilon) where opset < 17:
                guard let type = inference.types[node.inputs[0]] else {
                    throw .exportFailed(reason: "node '\(node.name)' (LayerNormalization): the type of its input is unknown")
                }
                // Negative axes need no rank, so a symbolic-rank-free graph stays so.
                let first = axis < 0 ? axis : axis - type.rank
                lowered.nodes += LayerNormalizationBody.nodes(of: node, axes: Array(first...(-1)), epsilon: epsilon,
                                                              dtype: type.dtype)
            case .scan(var attributes):
                guard let bodyInference = inference.subgraph(0, of: node.name) else {
                    throw .exportFailed(reason: "node '\(node.name)' (Scan): its body's types are unknown")
                }
                attributes.body = try lower(attributes.body, inference: bodyInference)
                lowered.nodes.append(Node(name: node.name, op: .scan(attributes), inputs: node.inputs, outputs: node.outputs))
            // Control flow: each subgraph lowered with its own inference
            case .controlFlow(let op):
                var graphs: [Graph] = []
                for (position, subgraph) in op.subgraphs.enumerated() {
                    guard let subgraphInference = inference.subgraph(position, of: node.name) else {
                        throw .exportFailed(reason: "node '\(node.name)' (\(op.onnxName)): its subgraphs' types are unknown")
                    }
                    graphs.append(try lower(subgraph, inference: subgraphInference))
                }
                lowered.nodes.append(Node(name: node.name, op: .controlFlow(op.replacingSubgraphs(graphs)), inputs: node.inputs,
                                          outputs: node.outputs))
            // Data movement and indexing
            case .movement(let op): lowered.nodes += try lowerMovement(node, op, inference: inference)
            // Elementwise family
            case .unary(.gelu(let tanhApproximation)) where opset < 20:
                guard let type = inference.types[node.inputs[0]] else {
                    throw .exportFailed(reason: "node '\(node.name)' (Gelu): the type of its input is unknown")
                }
                lowered.nodes += GeluBody.nodes(of: node, tanhApproximation: tanhApproximation, dtype: type.dtype)
            // Algebra and signal
            case .signal(let op): lowered.nodes += try lowerSignal(node, op)
            // Spatial resampling
            case .resample(let op):
                try checkResample(node, op)
                lowered.nodes.append(node)
            // Run-time values: Reduce* axes known only at run time need the axes-input form
            case .reduce(let operation, _) where node.input(1) != nil && opset < operation.axesInputOpset:
                throw .exportFailed(reason: "node '\(node.name)' (\(operation.onnxName)) has no form at opset \(opset): "
                    + "its axes are known only at run time, an input from opset \(operation.axesInputOpset)")
            // Quantized operators
            case .quantized(let op): lowered.nodes += try lowerQuantized(node, op, inference: inference)
            default:
                lowered.nodes.append(node)
            }
        }
        return lowered
    }

    /// Shape(start, end) as Shape, then Slice along axis 0: Slice clamps its bounds to
    /// [0, rank] and counts negative ones from the end, as Shape does.
    private static func shapeSlice(of node: Node, start: Int, end: Int?) throws(ONNXError) -> [Node] {
        let name = node.name
        func bound(_ role: String, _ value: Int) throws(ONNXError) -> Node {
            let tensor: Tensor
            do { tensor = try Tensor(int64Vector: [value]) } catch {
                throw .exportFailed(reason: "node '\(name)' (Shape): \(error)")
            }
            return Node(name: "\(name)/\(role)", op: .constant(tensor), inputs: [], outputs: ["\(name)/\(role)"])
        }
        return [
            Node(name: "\(name)/full", op: .shape(), inputs: node.inputs, outputs: ["\(name)/full"]),
            try bound("start", start), try bound("end", end ?? Int(Int64.max)), try bound("axis", 0),
            Node(name: name, op: .slice, inputs: ["\(name)/full", "\(name)/start", "\(name)/end", "\(name)/axis"],
                 outputs: node.outputs),
        ]
    }
}
