import ZooGraph
import ZooTensor

/// An ONNX node attribute, in Swift form; the C form exists only while packing/unpacking.
enum AttributeValue: Equatable {
    case int(Int)
    case ints([Int])
    case float(Float)
    case floats([Float])
    case string(String)
    case strings([String])
    case tensor(Tensor)
    /// A subgraph: a Scan's body.
    case graph(Graph)
}
