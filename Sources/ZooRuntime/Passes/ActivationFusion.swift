// Contract: a Conv, Gemm or MatMul whose output is read only by a residual Add (the other
// operand computed earlier, same shape) and/or then only by a Relu, Sigmoid, Tanh, a Clip
// with constant bounds (ReLU6), or the SiLU pair x·Sigmoid(x), takes them over as oneDNN
// post-ops, in that order; the absorbed nodes disappear. An activation in the epilogue is
// applied while the result is still in registers, where a separate pass would read and write
// the whole tensor again (LeNet-5's sigmoids: ~a third of its run; MobileNet v2's ReLU6 and
// the layout conversions around it: half of its run).
extension PlanGraph {
    mutating func fuseActivations() {
        var index = 0
        while index < nodes.count {
            if absorbNextReader(into: index) { continue }
            index += 1
        }
    }

    /// Moves the producer's reader into its epilogue when it is an activation oneDNN applies
    /// as a post-op or a residual Add; true if something was absorbed.
    private mutating func absorbNextReader(into index: Int) -> Bool {
        let node = nodes[index]
        switch node.op {
        case .conv, .gemm, .matMul: break
        default: return false
        }
        let readers = readerCounts()
        if let swish = swishReaders(of: node.outputs[0], readers: readers) {
            absorb(swish, resultOf: swish[1], into: index, as: .swish)
            return true
        }
        guard let readerIndex = soleReader(of: node.outputs[0], readers: readers) else { return false }
        let reader = nodes[readerIndex]
        let step: Epilogue
        switch reader.op {
        case .relu: step = .relu
        case .sigmoid: step = .sigmoid
        case .tanh: step = .tanh
        case .clip:
            guard let bounds = constantBounds(of: reader) else { return false }
            step = .clip(lower: bounds.lower, upper: bounds.upper)
        case .add:
            guard let other = reader.inputs.first(where: { $0 != node.outputs[0] }), reader.inputs.count == 2,
                  constants[other] == nil, types[other] == types[node.outputs[0]],
                  producers()[other].map({ $0 < index }) ?? inputs.contains(other)
            else { return false }
            step = .add(other)
        default:
            return false
        }
        absorb([readerIndex], resultOf: readerIndex, into: index, as: step)
        return true
    }

    /// Appends `step` to the producer's epilogue and removes the `absorbed` nodes; the
    /// producer now writes the result of `final`, one of them.
    private mutating func absorb(_ absorbed: [Int], resultOf final: Int, into index: Int, as step: Epilogue) {
        nodes[index].epilogue.append(step)
        nodes[index].outputs = nodes[final].outputs
        for removed in absorbed.sorted(by: >) { nodes.remove(at: removed) }
    }

    /// The Sigmoid and Mul nodes computing `value · sigmoid(value)`, when nothing else reads
    /// `value` or the sigmoid.
    private func swishReaders(of value: String, readers: [String: Int]) -> [Int]? {
        guard readers[value] == 2, !outputs.contains(value),
              let sigmoid = nodes.firstIndex(where: { $0.op == .sigmoid && $0.inputs == [value] }),
              let product = soleReader(of: nodes[sigmoid].outputs[0], readers: readers),
              nodes[product].op == .mul, Set(nodes[product].inputs) == [value, nodes[sigmoid].outputs[0]]
        else { return nil }
        return [sigmoid, product]
    }

    /// Clip's bounds when each is absent or a float32 scalar constant (absent is unbounded).
    private func constantBounds(of clip: PlanNode) -> (lower: Float, upper: Float)? {
        guard types[clip.inputs[0]]?.dtype == .float32 else { return nil }
        func bound(_ position: Int, absent: Float) -> Float? {
            guard let name = clip.input(position) else { return absent }
            return constantScalar(name)
        }
        guard let lower = bound(1, absent: -.infinity), let upper = bound(2, absent: .infinity) else { return nil }
        return (lower, upper)
    }
}
