import ZooGraph

// TensorScatter, CausalConvWithState and LinearAttention.
// - TensorScatter copies the cache and writes the update into it: data movement, no arithmetic.
// - CausalConvWithState is a depthwise convolution: k MACs per output element ([B, C, L]),
//   1 FLOP per element for the bias, 4 for the fused SiLU (as Swish); the state is copied.
// - LinearAttention, per token and key/value head with a dk×dv state: the update k⊗v is dk·dv
//   MACs, the delta rules' retrieval Sᵀk another dk·dv and their correction β·(v − r) 2·dv
//   FLOPs, the gated rules' decay dk·dv multiplies and dk exps (counted as dk·dv + dk); each
//   query head's read qᵀS is dk·dv MACs and its scale dv FLOPs.
extension CostContext {
    func statefulCost(_ op: StatefulOp) throws(CountError) -> Cost {
        switch op {
        case .tensorScatter: return .free
        case .linearAttention(let attributes): return try linearAttentionCost(attributes)
        case .causalConvolution(let activation):
            let outputs = try outputElements(0)
            let kernelSize = try input(1).dims[2]
            let perElement = (hasInput(2) ? 1 : 0) + (activation == .none ? 0 : 4)
            return try checked { () throws(PolynomialError) in
                try Cost(macs: outputs * Polynomial(kernelSize), otherFLOPs: outputs * Polynomial(perElement))
            }
        }
    }

    private func linearAttentionCost(_ attributes: LinearAttentionAttributes) throws(CountError) -> Cost {
        let query = try input(0), value = try input(2)
        let (queryHeads, keyValueHeads) = (attributes.queryHeadCount, attributes.keyValueHeadCount)
        let rule = attributes.updateRule
        return try checked { () throws(PolynomialError) in
            let tokens = try Polynomial(product: query.dims.prefix(2))
            let keySize = try Polynomial(Self.perHead(query.dims[2], queryHeads)), valueSize = try Polynomial(Self.perHead(value.dims[2], keyValueHeads))
            let stateSize = try keySize * valueSize
            let perKeyValueHead = try stateSize * Polynomial(rule.isDelta ? 2 : 1)
            let macs = try tokens * (perKeyValueHead * Polynomial(keyValueHeads) + stateSize * Polynomial(queryHeads))
            var perHeadFLOPs = rule.isDelta ? try valueSize * Polynomial(2) : Polynomial.zero
            if rule.isGated { perHeadFLOPs = try perHeadFLOPs + stateSize + keySize }
            let other = try tokens * (perHeadFLOPs * Polynomial(keyValueHeads) + valueSize * Polynomial(queryHeads))
            return try Cost(macs: macs, otherFLOPs: other)
        }
    }

    /// A packed hidden size divided by its head count; a symbolic one becomes the symbol "hidden/heads".
    private static func perHead(_ hidden: Dim, _ heads: Int) -> Dim {
        hidden.value.map { .fixed($0 / heads) } ?? .symbolic("\(hidden)/\(heads)")
    }
}
