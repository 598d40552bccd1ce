import ZooTensor

// TensorScatter and CausalConvWithState (StatefulOp). The present cache has the past cache's
// type; the update may be shorter than the cache along the sequence axis only. The causal
// convolution's output has the input's type and its state is `[B, C, k-1]`.
extension NodeContext {
    func inferStateful(_ op: StatefulOp) throws(GraphError) -> [Output] {
        switch op {
        case .tensorScatter(let attributes): [try inferTensorScatter(attributes)]
        case .causalConvolution: try inferCausalConvolution()
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
}
