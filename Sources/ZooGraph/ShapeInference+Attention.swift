import ZooTensor

// Attention and RotaryEmbedding (AttentionOp). Attention's sizes come from Q, K, V and the
// past: the head size D and value head size Dv of 3-D inputs are their hidden sizes divided
// by the head counts, and the total key length T = past + Skv is exact when both are known
// and a fresh symbol otherwise.
extension NodeContext {
    func inferAttention(_ op: AttentionOp) throws(GraphError) -> [Output] {
        switch op {
        case .attention(let attributes): try inferAttention(attributes)
        case .rotaryEmbedding(let attributes): [try inferRotaryEmbedding(attributes)]
        }
    }

    private func inferAttention(_ attributes: AttentionAttributes) throws(GraphError) -> [Output] {
        let query = try floatType(0), key = try floatType(1), value = try floatType(2)
        guard [3, 4].contains(query.rank), key.rank == query.rank, value.rank == query.rank else {
            throw fail("Q, K and V must all be 3-D [batch, sequence, hidden] or all 4-D [batch, heads, sequence, head size], got \(query), \(key), \(value)")
        }
        try requireSameDType(1, as: 0)
        let batch = query.dims[0], querySequence: Dim, keySequence: Dim
        let queryHeads: Dim, keyValueHeads: Dim, headSize: Dim, valueHeadSize: Dim
        if query.rank == 4 {
            (queryHeads, querySequence, headSize) = (query.dims[1], query.dims[2], query.dims[3])
            (keyValueHeads, keySequence, valueHeadSize) = (key.dims[1], key.dims[2], value.dims[3])
            for (name, given, found) in [("q_num_heads", attributes.queryHeadCount, queryHeads), ("kv_num_heads", attributes.keyValueHeadCount, keyValueHeads)] {
                if let given, let size = found.value, given != size {
                    throw badAttribute(name, "is \(given) but the 4-D inputs have \(size) heads")
                }
            }
            try requireEqual(key.dims[3], headSize, "the head sizes of Q and K")
            try requireEqual(value.dims[1], keyValueHeads, "the head counts of K and V")
            try requireEqual(value.dims[2], keySequence, "the sequence lengths of K and V")
        } else {
            guard let queryCount = attributes.queryHeadCount, let keyValueCount = attributes.keyValueHeadCount else {
                throw fail("3-D inputs need the q_num_heads and kv_num_heads attributes")
            }
            guard queryCount >= 1, keyValueCount >= 1 else {
                throw fail("q_num_heads \(queryCount) and kv_num_heads \(keyValueCount) must be positive")
            }
            (queryHeads, keyValueHeads) = (.fixed(queryCount), .fixed(keyValueCount))
            (querySequence, keySequence) = (query.dims[1], key.dims[1])
            headSize = try perHead(query.dims[2], queryCount, "Q's hidden size", fresh: 0)
            try requireEqual(try perHead(key.dims[2], keyValueCount, "K's hidden size", fresh: 0), headSize, "the head sizes of Q and K")
            valueHeadSize = try perHead(value.dims[2], keyValueCount, "V's hidden size", fresh: 1)
            try requireEqual(value.dims[1], keySequence, "the sequence lengths of K and V")
        }
        try requireEqual(key.dims[0], batch, "the batch sizes of Q and K")
        try requireEqual(value.dims[0], batch, "the batch sizes of Q and V")
        if let queries = queryHeads.value, let keys = keyValueHeads.value, keys < 1 || queries % keys != 0 {
            throw fail("kv_num_heads \(keys) must divide q_num_heads \(queries)")
        }
        var totalSequence = keySequence
        let hasPast = optionalType(4) != nil, hasPastValue = optionalType(5) != nil
        guard hasPast == hasPastValue else { throw fail("past_key and past_value must be given together") }
        if hasPast {
            guard optionalType(6) == nil else { throw fail("nonpad_kv_seqlen cannot be combined with past_key and past_value") }
            let pastKey = try requireRank(4, 4...4, role: "past_key"), pastValue = try requireRank(5, 4...4, role: "past_value")
            try requireSameDType(4, as: 1)
            try requireSameDType(5, as: 2)
            for (index, past, expected) in [(4, pastKey, [batch, keyValueHeads, pastValue.dims[2], headSize]),
                                            (5, pastValue, [batch, keyValueHeads, pastKey.dims[2], valueHeadSize])] {
                for axis in 0..<4 { try requireEqual(past.dims[axis], expected[axis], "axis \(axis) of '\(node.inputs[index])' and the expected \(expected)") }
            }
            if let past = pastKey.dims[2].value, let current = keySequence.value {
                totalSequence = .fixed(try checked("the total key length") { () throws(ArithmeticOverflow) in try CheckedArithmetic.add(past, current) })
            } else {
                totalSequence = freshDim(2)
            }
        }
        if let mask = optionalType(3) {
            guard mask.dtype == .bool || mask.dtype == query.dtype else {
                throw .dtype(node: node.name, op: opName, input: node.inputs[3], expected: "bool or \(query.dtype) (like Q)", actual: mask.dtype)
            }
            guard (1...4).contains(mask.rank) else { throw fail("attn_mask '\(node.inputs[3])' must have rank 1 to 4, got \(mask)") }
        }
        if optionalType(6) != nil {
            let lengths = try type(6, dtypeIn: [.int64], described: "int64")
            guard lengths.rank == 1 else { throw fail("nonpad_kv_seqlen '\(node.inputs[6])' must be [batch], got \(lengths)") }
            try requireEqual(lengths.dims[0], batch, "nonpad_kv_seqlen's length and the batch size")
        }
        let output: [Dim]
        if query.rank == 4 {
            output = [batch, queryHeads, querySequence, valueHeadSize]
        } else if let heads = queryHeads.value, let size = valueHeadSize.value {
            output = [batch, querySequence, .fixed(try checked("Y's hidden size") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(heads, size) })]
        } else {
            output = [batch, querySequence, freshDim(3)]
        }
        return [Output(type: TensorType(query.dtype, output)),
                Output(type: TensorType(query.dtype, [batch, keyValueHeads, totalSequence, headSize])),
                Output(type: TensorType(value.dtype, [batch, keyValueHeads, totalSequence, valueHeadSize])),
                Output(type: TensorType(query.dtype, [batch, queryHeads, querySequence, totalSequence]))]
    }

    private func inferRotaryEmbedding(_ attributes: RotaryEmbeddingAttributes) throws(GraphError) -> Output {
        let input = try type(0, dtypeIn: [.float32, .float16, .bfloat16], described: "float32, float16 or bfloat16")
        try requireSameDType(1, as: 0)
        try requireSameDType(2, as: 0)
        guard input.rank == 3 || input.rank == 4 else {
            throw fail("X '\(node.inputs[0])' must be [batch, heads, sequence, head size] or [batch, sequence, hidden], got \(input)")
        }
        let headSize: Dim
        if input.rank == 3 {
            guard let heads = attributes.headCount, heads >= 1 else { throw fail("a 3-D X needs a positive num_heads attribute") }
            headSize = try perHead(input.dims[2], heads, "X's hidden size", fresh: 0)
        } else {
            headSize = input.dims[3]
        }
        let rotated = attributes.rotaryDimension.map(Dim.fixed) ?? headSize
        if let rotatedSize = rotated.value {
            guard rotatedSize >= 2, rotatedSize % 2 == 0, headSize.value.map({ rotatedSize <= $0 }) ?? true else {
                throw fail("rotary_embedding_dim \(rotatedSize) must be even, at least 2 and at most the head size \(headSize)")
            }
        }
        let hasPositions = optionalType(3) != nil
        let cache = try requireRank(1, hasPositions ? 2...2 : 3...3, role: "cos_cache")
        guard try type(2).dims == cache.dims else { throw fail("sin_cache \(try type(2)) and cos_cache \(cache) must have the same shape") }
        if let half = rotated.value.map({ $0 / 2 }), let last = cache.dims.last?.value, last != half {
            throw fail("the caches' last axis \(last) must be rotary_embedding_dim / 2 = \(half)")
        }
        if hasPositions {
            let positions = try type(3, dtypeIn: [.int64], described: "int64")
            guard positions.rank == 2 else { throw fail("position_ids '\(node.inputs[3])' must be [batch, sequence], got \(positions)") }
        }
        return Output(type: input)
    }

    /// A hidden size divided by a head count; a symbolic size gives a fresh symbol.
    private func perHead(_ hidden: Dim, _ heads: Int, _ what: String, fresh index: Int) throws(GraphError) -> Dim {
        guard let size = hidden.value else { return freshDim(index) }
        guard size % heads == 0 else { throw fail("\(what) \(size) is not a multiple of the \(heads) heads") }
        return .fixed(size / heads)
    }

    /// Two sizes that must agree when both are known.
    private func requireEqual(_ first: Dim, _ second: Dim, _ what: String) throws(GraphError) {
        guard first == second || first.value == nil || second.value == nil else {
            throw fail("\(what) differ: \(first) and \(second)")
        }
    }
}
