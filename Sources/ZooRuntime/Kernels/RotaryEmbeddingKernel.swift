import ZooGraph
import ZooTensor

/// RotaryEmbedding (opset 23) in float32: every head row x of X (`[B, H, S, D]`, or `[B, S,
/// H·D]` with num_heads) has its first R = rotary_embedding_dim features rotated pairwise by
/// the angles of its token, cos and sin read from the caches' row `position_ids[b, s]` (caches
/// `[positions, R/2]`) or row `[b, s]` (caches `[B, S, R/2]` without position_ids):
/// (x₁, x₂) → (x₁·cos − x₂·sin, x₁·sin + x₂·cos), the pairs being (x[i], x[i + R/2]), or
/// (x[2i], x[2i+1]) when interleaved. The other features are copied. Position ids outside
/// the cache are an error at run time. Rows are spread over threads.
struct RotaryEmbeddingKernel: Kernel {
    let node: String
    let batchCount: Int, headCount: Int, sequence: Int, headSize: Int
    let rotated: Int
    let interleaved: Bool
    let threeDimensional: Bool
    /// Rows of the caches when position_ids index them; nil when they are `[B, S, R/2]`.
    let cacheRows: Int?
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: RotaryEmbeddingAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0), cos = try context.floatType(1), sin = try context.floatType(2)
        guard input.rank == 3 || input.rank == 4 else { throw context.fail("X must be 3-D or 4-D, got \(input)") }
        let threeDimensional = input.rank == 3
        let batch = input.shape[0], heads: Int, sequence: Int, headSize: Int
        if threeDimensional {
            guard let count = attributes.headCount, count >= 1, input.shape[2] % count == 0 else {
                throw context.fail("a 3-D X \(input) needs num_heads dividing its hidden size")
            }
            (heads, sequence, headSize) = (count, input.shape[1], input.shape[2] / count)
        } else {
            (heads, sequence, headSize) = (input.shape[1], input.shape[2], input.shape[3])
        }
        let rotated = attributes.rotaryDimension ?? headSize
        guard rotated >= 2, rotated % 2 == 0, rotated <= headSize else {
            throw context.fail("rotary_embedding_dim \(rotated) must be even, at least 2 and at most the head size \(headSize)")
        }
        var cacheRows: Int?
        if let positions = context.optionalType(3) {
            guard positions.dtype == .int64, positions.shape == [batch, sequence] else {
                throw context.fail("position_ids must be int64 [\(batch), \(sequence)], got \(positions)")
            }
            guard cos.rank == 2, cos.shape[1] == rotated / 2, sin.shape == cos.shape else {
                throw context.fail("cos_cache \(cos) and sin_cache \(sin) must be [positions, \(rotated / 2)] with position_ids")
            }
            cacheRows = cos.shape[0]
        } else {
            guard cos.shape == [batch, sequence, rotated / 2], sin.shape == cos.shape else {
                throw context.fail("cos_cache \(cos) and sin_cache \(sin) must be [\(batch), \(sequence), \(rotated / 2)] without position_ids")
            }
        }
        let kernel = RotaryEmbeddingKernel(node: context.node.name, batchCount: batch, headCount: heads, sequence: sequence,
                                           headSize: headSize, rotated: rotated, interleaved: attributes.interleaved,
                                           threeDimensional: threeDimensional, cacheRows: cacheRows, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        let input = io.floats(0), cosines = io.floats(1), sines = io.floats(2), output = io.outputFloats(0)
        let positions = io.optionalInput(3)?.assumingMemoryBound(to: Int64.self)
        if let positions, let cacheRows {
            for index in 0..<batchCount * sequence where positions[index] < 0 || positions[index] >= Int64(cacheRows) {
                throw .shape(node: node, op: "RotaryEmbedding", message: "position_ids holds \(positions[index]), outside the cache's \(cacheRows) rows")
            }
        }
        let half = rotated / 2, rows = batchCount * headCount * sequence
        Parallel.forRanges(rows, threads: threads, minimumChunk: max(1, 8192 / headSize)) { range in
            for row in range {
                // Rows in [B, H, S] order; a 3-D X holds them as [B, S, H].
                let token = row % sequence, head = row / sequence % headCount, batch = row / (sequence * headCount)
                let offset = threeDimensional
                    ? ((batch * sequence + token) * headCount + head) * headSize
                    : row * headSize
                let cacheRow = positions.map { Int($0[batch * sequence + token]) } ?? batch * sequence + token
                let cos = cosines + cacheRow * half, sin = sines + cacheRow * half
                let x = input + offset, y = output + offset
                for pair in 0..<half {
                    let (first, second) = interleaved ? (2 * pair, 2 * pair + 1) : (pair, pair + half)
                    let (a, b) = (x[first], x[second])
                    y[first] = a * cos[pair] - b * sin[pair]
                    y[second] = a * sin[pair] + b * cos[pair]
                }
                if rotated < headSize { (y + rotated).update(from: x + rotated, count: headSize - rotated) }
            }
        }
    }
}
