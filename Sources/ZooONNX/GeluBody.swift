import Foundation
import ZooGraph
import ZooTensor

/// Gelu (opset 20) for older opsets, written as the ONNX function body the spec defines it
/// by, in X's type:
///
///     approximate="none":  ½ · x · (1 + erf(x / √2))
///     approximate="tanh":  ½ · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
///
/// Constants are float32 scalars, cast to X's type when it is another.
enum GeluBody {
    /// The body's nodes; the last one has the Gelu node's name and output.
    static func nodes(of node: Node, tanhApproximation: Bool, dtype: DType) -> [Node] {
        let name = node.name, x = node.inputs[0]
        var nodes: [Node] = []
        func add(_ role: String, _ op: Op, _ inputs: [String]) -> String {
            nodes.append(Node(name: "\(name)/\(role)", op: op, inputs: inputs, outputs: ["\(name)/\(role)"]))
            return "\(name)/\(role)"
        }
        func constant(_ role: String, _ value: Double) -> String {
            let float = add(role, .constant(Tensor(scalar: Float(value))), [])
            return dtype == .float32 ? float : add("\(role)_cast", .cast(to: dtype), [float])
        }
        let argument: String
        if tanhApproximation {
            let cube = add("cube", .mul, [add("square", .mul, [x, x]), x])
            let inner = add("inner", .add, [x, add("cubic_term", .mul, [cube, constant("coefficient", 0.044715)])])
            argument = add("argument", .mul, [inner, constant("scale", (2 / Double.pi).squareRoot())])
        } else {
            argument = add("argument", .div, [x, constant("sqrt2", 2.0.squareRoot())])
        }
        let core = add("core", tanhApproximation ? .tanh : .erf, [argument])
        let onePlus = add("one_plus", .add, [core, constant("one", 1)])
        let product = add("product", .mul, [x, onePlus])
        nodes.append(Node(name: name, op: .mul, inputs: [product, constant("one_half", 0.5)], outputs: [node.outputs[0]]))
        return nodes
    }
}
