import ZooGraph
import ZooTensor

/// LayerNormalization (opset 17) for older opsets, written as the ONNX function body the spec
/// defines it by, over the axes `axis…rank-1` of X, in X's type:
///
///     D = X - ReduceMean(X);  Y = D / Sqrt(ReduceMean(D · D) + ε) · Scale (+ B)
///
/// The spec's body multiplies by Reciprocal(Sqrt(…)); opsets before 17 have no op that
/// changes that rounding, and dividing is the closer of the two to the exact value.
enum LayerNormalizationBody {
    /// The body's nodes; the last one has the LayerNormalization node's name and output.
    /// `axes` are the normalised axes (negative ones count from the end).
    static func nodes(of node: Node, axes: [Int], epsilon: Float, dtype: DType) -> [Node] {
        let name = node.name
        var nodes: [Node] = []
        func add(_ role: String, _ op: Op, _ inputs: [String]) -> String {
            nodes.append(Node(name: "\(name)/\(role)", op: op, inputs: inputs, outputs: ["\(name)/\(role)"]))
            return "\(name)/\(role)"
        }
        let x = node.inputs[0], scale = node.inputs[1]
        let mean = ReduceAttributes(axes: axes, keepDims: true)
        let centered = add("centered", .sub, [x, add("mean", .reduce(.mean, mean), [x])])
        let variance = add("variance", .reduce(.mean, mean), [add("squared", .mul, [centered, centered])])
        var epsilonValue = add("epsilon", .constant(Tensor(scalar: epsilon)), [])
        if dtype != .float32 { epsilonValue = add("epsilon_cast", .cast(to: dtype), [epsilonValue]) }
        let deviation = add("deviation", .sqrt, [add("variance_epsilon", .add, [variance, epsilonValue])])
        let normalized = add("normalized", .div, [centered, deviation])
        let bias = node.inputs.count > 2 && !node.inputs[2].isEmpty ? node.inputs[2] : nil
        let scaled = bias == nil ? node.outputs[0] : "\(name)/scaled"
        nodes.append(Node(name: bias == nil ? name : scaled, op: .mul, inputs: [normalized, scale], outputs: [scaled]))
        if let bias {
            nodes.append(Node(name: name, op: .add, inputs: [scaled, bias], outputs: [node.outputs[0]]))
        }
        return nodes
    }
}
