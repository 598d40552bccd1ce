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
        case .reshape:
            // A shape vector flattened to one axis, or one value made a scalar, keeps its values.
            guard let target = knownDims(1), let values = knownDims(0), target.count == 1 || (target.isEmpty && values.count == 1)
            else { return nil }
            return values
        case .constantOfShape(let value):
            guard let shape = knownDims(0), shape.count == 1, let count = shape[0].value, count <= Self.shapeVectorLimit,
                  let fill = value.integerValues?.first else { return nil }
            return Array(repeating: .fixed(fill), count: count)
        case .add: return combineKnownDims { $0 == .fixed(0) ? $1 : $1 == .fixed(0) ? $0 : nil } fixed: { $0 &+ $1 }
        case .sub: return combineKnownDims { $1 == .fixed(0) ? $0 : nil } fixed: { $0 &- $1 }
        case .mul: return combineKnownDims { $0 == .fixed(1) ? $1 : $1 == .fixed(1) ? $0 : nil } fixed: { $0 &* $1 }
        // Sizes divided by a patch or head size (integer division truncates, as ONNX's does);
        // a zero divisor (or Int.min / -1) leaves the value unknown.
        case .div:
            // Cast may have carried sizes into floats, where division does not truncate.
            guard try type(0).dtype.isInteger else { return nil }
            return combineKnownDims { $1 == .fixed(1) ? $0 : nil } fixed: { dividend, divisor in
                let quotient = dividend.dividedReportingOverflow(by: divisor)
                return quotient.overflow ? nil : quotient.partialValue
            }
        case .binary(.mod(let fmod)):
            return combineKnownDims { _, _ in nil } fixed: { dividend, divisor in
                let (remainder, overflow) = dividend.remainderReportingOverflow(dividingBy: divisor)
                guard !overflow else { return nil }
                // Mod without fmod takes the divisor's sign, as Python's % does.
                return fmod || remainder == 0 || (remainder < 0) == (divisor < 0) ? remainder : remainder &+ divisor
            }
        case .equal:
            // A size is never negative, so a symbol differs from -1 (the "infer" marker
            // exporters compare shapes against).
            return combineKnownDims { left, right in
                if left == right { return .fixed(1) }
                return (left.value ?? 0) < 0 || (right.value ?? 0) < 0 ? .fixed(0) : nil
            } fixed: { $0 == $1 ? 1 : 0 }
        case .where:
            guard let condition = knownDims(0), let chosen = knownDims(1), let other = knownDims(2),
                  let count = [condition.count, chosen.count, other.count].max(),
                  [condition, chosen, other].allSatisfy({ $0.count == count || $0.count == 1 }) else { return nil }
            var selected: [Dim] = []
            for index in 0..<count {
                guard let flag = condition[condition.count == 1 ? 0 : index].value else { return nil }
                selected.append(flag != 0 ? chosen[chosen.count == 1 ? 0 : index] : other[other.count == 1 ? 0 : index])
            }
            return selected
        // Run-time values: a negated axis count (the expanded LayerNormalization's suffix rank).
        case .neg:
            guard let values = knownDims(0) else { return nil }
            let fixed = values.compactMap(\.value)
            return fixed.count == values.count ? fixed.map { .fixed(0 &- $0) } : nil
        default:
            return nil
        }
    }

    /// Shape vectors are short; longer integer tensors are data, not shapes.
    static let shapeVectorLimit = 16

    /// Element-wise arithmetic or comparison on two known value vectors (one may be a single
    /// broadcast value): `fixed` for two known sizes, `symbolic` for a symbol with anything
    /// (nil when the result is not a known dim).
    private func combineKnownDims(symbolic: (Dim, Dim) -> Dim?, fixed: (Int, Int) -> Int?) -> [Dim]? {
        guard let left = knownDims(0), let right = knownDims(1), Swift.max(left.count, right.count) <= Self.shapeVectorLimit,
              left.count == right.count || left.count == 1 || right.count == 1 else { return nil }
        var combined: [Dim] = []
        for index in 0..<Swift.max(left.count, right.count) {
            let a = left[left.count == 1 ? 0 : index], b = right[right.count == 1 ? 0 : index]
            if let x = a.value, let y = b.value {
                guard let value = fixed(x, y) else { return nil }
                combined.append(.fixed(value))
            } else if let result = symbolic(a, b) {
                combined.append(result)
            } else {
                return nil
            }
        }
        return combined
    }
}
