import ZooGraph

// TensorScatter and CausalConvWithState.
// - TensorScatter copies the cache and writes the update into it: data movement, no arithmetic.
// - CausalConvWithState is a depthwise convolution: k MACs per output element ([B, C, L]),
//   1 FLOP per element for the bias, 4 for the fused SiLU (as Swish); the state is copied.
extension CostContext {
    func statefulCost(_ op: StatefulOp) throws(CountError) -> Cost {
        switch op {
        case .tensorScatter: return .free
        case .causalConvolution(let activation):
            let outputs = try outputElements(0)
            let kernelSize = try input(1).dims[2]
            let perElement = (hasInput(2) ? 1 : 0) + (activation == .none ? 0 : 4)
            return try checked { () throws(PolynomialError) in
                try Cost(macs: outputs * Polynomial(kernelSize), otherFLOPs: outputs * Polynomial(perElement))
            }
        }
    }
}
