import Foundation
import ZooGraph
import ZooTensor

/// Gelu (opset 20) is an ONNX function; it imports as its function body, so the IR needs no
/// op of its own and the runtime's GELU fusion sees the pattern older exporters wrote:
///
///     approximate="none":  ½ · x · (1 + erf(x / √2))
///     approximate="tanh":  ½ · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
///
/// Constants are float32 scalars: the kernels compute in float32.
enum GeluBody {
    /// The body's nodes; `core` is `.erf` or `.tanh`, the last node writes `output`.
    static func nodes(name: String, core: Op, input x: String, output: String) -> [Node] {
        var nodes: [Node] = []
        func constant(_ role: String, _ value: Double) -> String {
            nodes.append(Node(name: "\(name)/\(role)", op: .constant(Tensor(scalar: Float(value))), inputs: [],
                              outputs: ["\(name)/\(role)"]))
            return "\(name)/\(role)"
        }
        func node(_ role: String, _ op: Op, _ inputs: [String], output: String? = nil) -> String {
            let value = output ?? "\(name)/\(role)"
            nodes.append(Node(name: output == nil ? value : name, op: op, inputs: inputs, outputs: [value]))
            return value
        }
        let argument: String
        if case .tanh = core {
            let cube = node("cube", .mul, [node("square", .mul, [x, x]), x])
            let inner = node("inner", .add, [x, node("cubic_term", .mul, [cube, constant("coefficient", 0.044715)])])
            argument = node("argument", .mul, [inner, constant("scale", (2 / Double.pi).squareRoot())])
        } else {
            argument = node("argument", .div, [x, constant("sqrt2", 2.0.squareRoot())])
        }
        let onePlus = node("one_plus", .add, [node("core", core, [argument]), constant("one", 1)])
        _ = node("half", .mul, [node("product", .mul, [x, onePlus]), constant("one_half", 0.5)], output: output)
        return nodes
    }
}
