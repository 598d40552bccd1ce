import ZooGraph

// Attention and RotaryEmbedding.
// - Attention over T = past + Skv keys: QKᵀ is one MAC per query element and key, PV one per
//   output element and key, so MACs = (Q elements + Y elements) · T, the same for 3-D and 4-D
//   inputs and for grouped-query heads (each query head reads its key head). Per score
//   (B·Hq·Sq·T of them): 1 FLOP for the scale, 5 for the softmax (as Softmax's 5E), 1 for the
//   bias when a mask, causal frontier, window or padding length is given, and 3 for the
//   softcap (divide, tanh, multiply) when it is on.
// - RotaryEmbedding: each rotated feature is x·cos ∓ x'·sin, 3 FLOPs; features beyond
//   rotary_embedding_dim are copied.
extension CostContext {
    func attentionCost(_ op: AttentionOp) throws(CountError) -> Cost {
        switch op {
        case .attention(let attributes): try attentionCost(attributes)
        case .rotaryEmbedding(let attributes): try rotaryEmbeddingCost(attributes)
        }
    }

    private func attentionCost(_ attributes: AttentionAttributes) throws(CountError) -> Cost {
        let query = try input(0), key = try input(1)
        let keySequence = key.dims[query.rank == 4 ? 2 : 1]
        let past = hasInput(4) ? try input(4).dims[2] : nil
        let queryElements = try inputElements(0), outputElements = try outputElements(0)
        let hasBias = hasInput(3) || hasInput(6) || attributes.isCausal || attributes.leftWindow != nil || attributes.rightWindow != nil
        let perScore = 6 + (hasBias ? 1 : 0) + (attributes.softcap > 0 ? 3 : 0)
        return try checked { () throws(PolynomialError) in
            let total = try Polynomial(keySequence) + (try past.map { (dim: Dim) throws(PolynomialError) in try Polynomial(dim) } ?? .zero)
            let rows = query.rank == 4
                ? try Polynomial(product: query.dims.prefix(3))
                : try Polynomial(product: query.dims.prefix(2)) * Polynomial(attributes.queryHeadCount ?? 1)
            return try Cost(macs: (queryElements + outputElements) * total, otherFLOPs: rows * total * Polynomial(perScore))
        }
    }

    private func rotaryEmbeddingCost(_ attributes: RotaryEmbeddingAttributes) throws(CountError) -> Cost {
        let x = try input(0)
        guard let rotated = attributes.rotaryDimension else {
            let elements = try inputElements(0)
            return try checked { () throws(PolynomialError) in try Cost(elements: elements, flopsPerElement: 3) }
        }
        return try checked { () throws(PolynomialError) in
            let rows = x.rank == 4
                ? try Polynomial(product: x.dims.prefix(3))
                : try Polynomial(product: x.dims.prefix(2)) * Polynomial(attributes.headCount ?? 1)
            return try Cost(elements: rows * Polynomial(rotated), flopsPerElement: 3)
        }
    }
}
