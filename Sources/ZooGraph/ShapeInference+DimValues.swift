import ZooTensor

// Symbolic values of shape tensors. Exporters compute sizes at run time (Shape → Gather →
// Unsqueeze → Concat → Reshape); following those values as dims keeps `batch` and `seq`
// symbolic through the chain instead of losing them to fresh unknowns.
extension NodeContext {
    /// Element values of input `index` as dims, when known: from a constant integer tensor
    /// of rank 0 or 1, or from a value propagated through shape arithmetic.
    func knownDims(_ index: Int) -> [Dim]? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return nil }
        if let values = dimValues[index] { return values }
        guard let tensor = constants[index], tensor.rank <= 1, let values = tensor.integerValues else { return nil }
        return values.map(Dim.fixed)
    }

    /// The element values of this node's first output as dims, for the ops that move shape
    /// values around; nil where unknown.
    func propagateDimValues() throws(GraphError) -> [Dim]? {
        switch node.op {
        case .shape(let start, let end):
            let input = try type(0)
            let clamp = { (value: Int) in min(max(value < 0 ? value + input.rank : value, 0), input.rank) }
            let first = clamp(start)
            return Array(input.dims[first..<max(clamp(end ?? input.rank), first)])
        case .identity, .cast, .unsqueeze, .squeeze:
            return knownDims(0)
        case .gather(let axis):
            guard axis == 0, let values = knownDims(0), let indices = knownDims(1) else { return nil }
            var selected: [Dim] = []
            for index in indices {
                guard let position = index.value, (-values.count..<values.count).contains(position) else { return nil }
                selected.append(values[position < 0 ? position + values.count : position])
            }
            return selected
        case .concat:
            var joined: [Dim] = []
            for index in node.inputs.indices {
                guard let values = knownDims(index) else { return nil }
                joined += values
            }
            return joined
        case .slice:
            guard let values = knownDims(0), let starts = knownDims(1)?.compactMap(\.value),
                  let ends = knownDims(2)?.compactMap(\.value), starts.count == 1, ends.count == 1,
                  (knownDims(3)?.compactMap(\.value) ?? [0]) == [0] || (knownDims(3)?.compactMap(\.value) ?? []) == [-1],
                  (knownDims(4)?.compactMap(\.value) ?? [1]) == [1] else { return nil }
            let size = values.count
            let clamp = { (value: Int) in min(max(value < 0 ? value + size : value, 0), size) }
            let first = clamp(starts[0])
            return Array(values[first..<max(clamp(ends[0]), first)])
        default:
            return nil
        }
    }
}
