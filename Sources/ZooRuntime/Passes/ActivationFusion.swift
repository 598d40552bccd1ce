// Contract: a Conv, Gemm or MatMul whose output is read only by a residual Add (the other
// operand computed earlier, same shape) and/or then only by a Relu, Sigmoid or Tanh takes
// them over as oneDNN post-ops, in that order; the absorbed nodes disappear. An activation
// in the epilogue is applied while the result is still in registers, where a separate pass
// would read and write the whole tensor again (LeNet-5's sigmoids: ~a third of its run).
extension PlanGraph {
    mutating func fuseActivations() {
        var index = 0
        while index < nodes.count {
            if absorbNextReader(into: index) { continue }
            index += 1
        }
    }

    /// Moves the producer's sole reader into its epilogue when it is an activation oneDNN
    /// applies as a post-op or a residual Add; true if something was absorbed.
    private mutating func absorbNextReader(into index: Int) -> Bool {
        let node = nodes[index]
        switch node.op {
        case .conv, .gemm, .matMul: break
        default: return false
        }
        guard let readerIndex = soleReader(of: node.outputs[0], readers: readerCounts()) else { return false }
        let reader = nodes[readerIndex]
        switch reader.op {
        case .relu:
            nodes[index].epilogue.append(.relu)
        case .sigmoid:
            nodes[index].epilogue.append(.sigmoid)
        case .tanh:
            nodes[index].epilogue.append(.tanh)
        case .add:
            guard let other = reader.inputs.first(where: { $0 != node.outputs[0] }), reader.inputs.count == 2,
                  constants[other] == nil, types[other] == types[node.outputs[0]],
                  producers()[other].map({ $0 < index }) ?? inputs.contains(other)
            else { return false }
            nodes[index].epilogue.append(.add(other))
        default:
            return false
        }
        nodes[index].outputs = reader.outputs
        nodes.remove(at: readerIndex)
        return true
    }
}
