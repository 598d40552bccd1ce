import CONNXProto
import ZooGraph

extension GraphReader {
    /// A Scan's body, read like the main graph one level deeper. Reading stops at
    /// `Graph.maximumSubgraphDepth` levels, where validation would refuse the graph anyway.
    func subgraph(_ proto: UnsafeMutablePointer<Onnx__GraphProto>?, attribute name: String)
        throws(OperatorImport.Problem) -> Graph
    {
        guard let proto = proto?.pointee else { throw .init(reason: "attribute '\(name)' holds no graph") }
        guard depth < Graph.maximumSubgraphDepth else {
            throw .init(reason: "subgraphs nest more than \(Graph.maximumSubgraphDepth) levels deep")
        }
        var reader = self
        reader.depth += 1
        do { return try reader.read(proto) } catch { throw .init(reason: "attribute '\(name)': \(error.detail)") }
    }
}

extension ONNXError {
    /// The description without the file name: what went wrong inside a subgraph of the file.
    var detail: String {
        switch self {
        case .malformed(_, let reason): reason
        case .file(let error): error.description
        case .unsupported(_, let problems): problems.map(\.description).joined(separator: "; ")
        case .invalidTensor(_, let name, let reason): "tensor '\(name)': \(reason)"
        case .invalidGraph(_, let error): error.description
        case .exportFailed(let reason): reason
        }
    }
}
