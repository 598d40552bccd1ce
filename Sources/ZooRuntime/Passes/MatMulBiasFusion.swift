// Contract: MatMul(A, constant B) followed by an Add of a constant with N elements along the
// last axis (a bias, either operand order), where the Add is the MatMul's only reader,
// becomes one MatMul carrying the bias as a third input (oneDNN adds it in the GEMM).
extension PlanGraph {
    mutating func fuseMatMulBias() {
        var index = 0
        while index < nodes.count {
            let node = nodes[index]
            guard case .matMul = node.op, node.inputs.count == 2, node.epilogue.isEmpty,
                  let weight = node.input(1).flatMap({ constants[$0] }), weight.rank == 2,
                  let addIndex = soleReader(of: node.outputs[0], readers: readerCounts()),
                  case .add = nodes[addIndex].op,
                  let bias = nodes[addIndex].inputs.first(where: { $0 != node.outputs[0] }),
                  let biasValue = constants[bias], biasValue.dtype == .float32,
                  biasValue.elementCount == weight.shape[1], biasValue.shape.last == weight.shape[1]
            else { index += 1; continue }
            nodes[index].inputs.append(bias)
            nodes[index].outputs = nodes[addIndex].outputs
            nodes.remove(at: addIndex)
            index += 1
        }
    }
}
