import ZooTensor

// TensorScatter and CausalConvWithState (StatefulOp). The present cache has the past cache's
// type; the update may be shorter than the cache along the sequence axis only. The causal
// convolution's output has the input's type and its state is `[B, C, k-1]`. LinearAttention
// unpacks `[B, T, H·D]` by the head counts: dk from the query, dv from the value; its output
// is `[B, T, Hq·dv]` and its state `[B, Hkv, dk, dv]`.
extension NodeContext {
    func inferStateful(_ op: StatefulOp) throws(GraphError) -> [Output] {
        switch op {
        case .tensorScatter(let attributes): [try inferTensorScatter(attributes)]
        case .causalConvolution: try inferCausalConvolution()
        case .linearAttention(let attributes): try inferLinearAttention(attributes)
        }
    }

    private func inferTensorScatter(_ attributes: TensorScatterAttributes) throws(GraphError) -> Output {
        let cache = try type(0), update = try type(1)
        try requireSameDType(1, as: 0)
        guard cache.rank >= 2 else { throw fail("past_cache '\(node.inputs[0])' must have a batch and a sequence axis, got \(cache)") }
        let axis = try axis(attributes.axis, rank: cache.rank)
        guard axis != 0 else { throw badAttribute("axis", "is \(attributes.axis), the batch axis; the sequence axis must be another") }
        guard update.rank == cache.rank else { throw fail("update \(update) must have the rank of past_cache \(cache)") }
        for (index, (cacheDim, updateDim)) in zip(cache.dims, update.dims).enumerated() {
            guard let cacheSize = cacheDim.value, let updateSize = updateDim.value else { continue }
            if index == axis ? updateSize > cacheSize : updateSize != cacheSize {
                throw fail("update \(update) must match past_cache \(cache) on every axis but \(axis), where it may be shorter")
            }
        }
        if let indices = optionalType(2) {
            _ = try type(2, dtypeIn: [.int64], described: "int64")
            guard indices.rank == 1, indices.dims[0].value == nil || cache.dims[0].value == nil || indices.dims[0] == cache.dims[0] else {
                throw fail("write_indices '\(node.inputs[2])' must be [batch] = [\(cache.dims[0])], got \(indices)")
            }
        }
        return Output(type: cache)
    }

    private func inferCausalConvolution() throws(GraphError) -> [Output] {
        let input = try floatType(0), weight = try type(1)
        try requireSameDType(1, as: 0)
        guard input.rank == 3 else { throw fail("input '\(node.inputs[0])' must be [batch, channels, length], got \(input)") }
        guard weight.rank == 3, weight.dims[1] == .fixed(1) || weight.dims[1].value == nil else {
            throw fail("weight '\(node.inputs[1])' must be [channels, 1, k], got \(weight)")
        }
        let (batch, channels) = (input.dims[0], input.dims[1])
        if let inputChannels = channels.value, let weightChannels = weight.dims[0].value, inputChannels != weightChannels {
            throw fail("weight \(weight) must have the input's \(inputChannels) channels")
        }
        if let kernelSize = weight.dims[2].value, kernelSize < 1 { throw fail("weight \(weight) has an empty kernel") }
        let stateLength = weight.dims[2].value.map { Dim.fixed($0 - 1) } ?? freshDim(1)
        if let bias = optionalType(2) {
            try requireSameDType(2, as: 0)
            guard bias.rank == 1, bias.dims[0].value == nil || channels.value == nil || bias.dims[0] == channels else {
                throw fail("bias '\(node.inputs[2])' must be [\(channels)], got \(bias)")
            }
        }
        let state = TensorType(input.dtype, [batch, channels, stateLength])
        if let past = optionalType(3) {
            try requireSameDType(3, as: 0)
            let agrees = past.rank == 3 && zip(past.dims, state.dims).allSatisfy { $0 == $1 || $0.value == nil || $1.value == nil }
            guard agrees else { throw fail("past_state '\(node.inputs[3])' must be \(state), got \(past)") }
        }
        return [Output(type: input), Output(type: state)]
    }

    private func inferLinearAttention(_ attributes: LinearAttentionAttributes) throws(GraphError) -> [Output] {
        let query = try floatType(0), key = try type(1), value = try type(2)
        try requireSameDType(1, as: 0)
        try requireSameDType(2, as: 0)
        guard query.rank == 3, key.rank == 3, value.rank == 3 else {
            throw fail("query, key and value must be [batch, tokens, heads·size], got \(query), \(key), \(value)")
        }
        let (queryHeads, keyValueHeads) = (attributes.queryHeadCount, attributes.keyValueHeadCount)
        let keySize = try headSize(query.dims[2], queryHeads, "query", fresh: 0)
        let valueSize = try headSize(value.dims[2], keyValueHeads, "value", fresh: 1)
        if let size = keySize.value, let hidden = key.dims[2].value, try checked("key's hidden size", { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(keyValueHeads, size) }) != hidden {
            throw fail("key \(key) must hold kv_num_heads \(keyValueHeads) × the query's head size \(size)")
        }
        let outputHidden = try valueSize.value.map { (size: Int) throws(GraphError) -> Dim in
            .fixed(try checked("the output's hidden size") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(queryHeads, size) })
        } ?? freshDim(2)
        let state = TensorType(optionalType(3)?.dtype ?? query.dtype, [query.dims[0], .fixed(keyValueHeads), keySize, valueSize])
        if let past = optionalType(3) {
            let agrees = past.rank == 4 && zip(past.dims, state.dims).allSatisfy { $0 == $1 || $0.value == nil || $1.value == nil }
            guard agrees else { throw fail("past_state '\(node.inputs[3])' must be \(state), got \(past)") }
        }
        for (index, name, wanted) in [(4, "decay", attributes.updateRule.isGated), (5, "beta", attributes.updateRule.isDelta)] {
            guard (optionalType(index) != nil) == wanted else {
                throw fail("update_rule '\(attributes.updateRule.rawValue)' \(wanted ? "needs" : "takes no") \(name) input")
            }
            if wanted {
                try requireSameDType(index, as: 0)
                guard try type(index).rank == 3 else { throw fail("\(name) '\(node.inputs[index])' must be 3-D, got \(try type(index))") }
            }
        }
        return [Output(type: TensorType(query.dtype, [query.dims[0], query.dims[1], outputHidden])), Output(type: state)]
    }

    /// A packed hidden size divided by its head count; a symbolic size gives a fresh symbol.
    private func headSize(_ hidden: Dim, _ heads: Int, _ what: String, fresh index: Int) throws(GraphError) -> Dim {
        guard let size = hidden.value else { return freshDim(index) }
        guard size % heads == 0, size > 0 else { throw fail("\(what)'s hidden size \(size) is not a positive multiple of its \(heads) heads") }
        return .fixed(size / heads)
    }
}
