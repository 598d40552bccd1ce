import CZooKernels
import Foundation
import ZooGraph
import ZooTensor

/// Attention (opset 23–25) as one fused kernel: for each query row of each batch and query
/// head, scores against blocks of `blockSize` keys are computed, softcapped, biased and folded
/// into a running maximum, sum and weighted sum of values (flash attention's online softmax),
/// so no more than one block of scores exists per thread. Rows are spread over threads.
/// The bias of key j for query i (offset o = past length, or nonpad_kv_seqlen[b] − Sq with an
/// external cache) is −inf when j ≥ nonpad_kv_seqlen[b], when causal and j > i + o, outside
/// the window [i + o − left, i + o + right], where a boolean mask is false or a float mask is
/// −inf, and beyond the mask's last axis; otherwise the float mask's value (or 0). A row whose
/// keys are all masked gives zeros. Grouped-query head h reads key/value head h / (Hq / Hkv).
/// With past_key/past_value the keys are the past followed by K (present_key, written to the
/// output when the graph uses it, else to scratch). The qk_matmul_output makes the block the
/// whole row, which that output holds anyway. Float16 and float64 operands are widened to
/// float32 in scratch and the results narrowed back; bfloat16 is refused.
struct AttentionKernel: Kernel {
    /// Where row i of head h of batch b of a `[B, H, S, D]` operand starts, for 4-D layouts
    /// and for 3-D ones whose hidden axis holds the heads side by side.
    struct Layout: Sendable {
        let batchStride: Int, headStride: Int, rowStride: Int

        init(heads: Int, sequence: Int, depth: Int, threeDimensional: Bool) {
            batchStride = heads * sequence * depth
            (headStride, rowStride) = threeDimensional ? (depth, heads * depth) : (sequence * depth, depth)
        }

        func offset(_ batch: Int, _ head: Int, _ row: Int) -> Int { batch * batchStride + head * headStride + row * rowStride }
    }

    /// attn_mask broadcast to `[B, Hq, Sq, length]`: a stride of 0 on broadcast axes.
    struct Mask: Sendable {
        let strides: [Int]
        let length: Int
        let isBoolean: Bool
    }

    /// Float offsets into scratch of the widened operands and results (nil: used in place)
    /// and of each thread's workspace.
    struct ScratchPlan: Sendable {
        var widened: [Int: Int] = [:]
        var results: [Int: Int] = [:]
        var presentKey: Int?, presentValue: Int?
        var workspace = 0
        var count = 0

        mutating func reserve(_ floats: Int) -> Int {
            defer { count += (floats + 15) / 16 * 16 }
            return count
        }
    }

    let batchCount: Int, queryHeads: Int, keyValueHeads: Int
    let querySequence: Int, keySequence: Int, pastSequence: Int
    let depth: Int, valueDepth: Int
    let query: Layout, key: Layout, value: Layout, output: Layout
    let scale: Float
    let attributes: AttentionAttributes
    let mask: Mask?
    let hasPast: Bool, hasPadding: Bool
    let dtype: DType, valueDType: DType
    let inputCounts: [Int: Int]
    let outputCounts: [Int: Int]
    let scratch: ScratchPlan
    let blockSize: Int
    let threads: Int

    var totalSequence: Int { pastSequence + keySequence }
    var workspaceFloats: Int { (blockSize + valueDepth + 15) / 16 * 16 }
    var scratchByteCount: Int { (scratch.count + threads * workspaceFloats) * MemoryLayout<Float>.stride }

    static func prepare(_ context: KernelContext, _ attributes: AttentionAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let q = try context.type(0), k = try context.type(1), v = try context.type(2)
        guard ElementTypes.floating(q.dtype) != nil, k.dtype == q.dtype, ElementTypes.floating(v.dtype) != nil else {
            throw context.unsupported("Q \(q.dtype), K \(k.dtype) and V \(v.dtype) must be floating point, Q and K alike")
        }
        // The spec's bfloat16 results round every intermediate to bfloat16; ours, computed in
        // float32, differ from them by a unit in the last place (onnxruntime has no bfloat16 kernel).
        guard q.dtype != .bfloat16, v.dtype != .bfloat16 else {
            throw context.unsupported("bfloat16 is not supported (computed in float32, results differ from bfloat16 arithmetic in the last place)")
        }
        guard [3, 4].contains(q.rank), k.rank == q.rank, v.rank == q.rank else {
            throw context.fail("Q \(q), K \(k) and V \(v) must all be 3-D or all 4-D")
        }
        let threeDimensional = q.rank == 3
        let batch = q.shape[0], querySequence: Int, keySequence: Int, queryHeads: Int, keyValueHeads: Int
        let depth: Int, valueDepth: Int
        if threeDimensional {
            guard let queryCount = attributes.queryHeadCount, let keyValueCount = attributes.keyValueHeadCount else {
                throw context.fail("3-D inputs need q_num_heads and kv_num_heads")
            }
            (queryHeads, keyValueHeads, querySequence, keySequence) = (queryCount, keyValueCount, q.shape[1], k.shape[1])
            guard q.shape[2] % queryCount == 0, k.shape[2] % keyValueCount == 0, v.shape[2] % keyValueCount == 0 else {
                throw context.fail("the hidden sizes of Q \(q), K \(k) and V \(v) must be multiples of q_num_heads \(queryCount) and kv_num_heads \(keyValueCount)")
            }
            (depth, valueDepth) = (q.shape[2] / queryCount, v.shape[2] / keyValueCount)
            guard k.shape[2] / keyValueCount == depth else { throw context.fail("the head sizes of Q \(q) and K \(k) differ") }
        } else {
            (queryHeads, querySequence, depth) = (q.shape[1], q.shape[2], q.shape[3])
            (keyValueHeads, keySequence, valueDepth) = (k.shape[1], k.shape[2], v.shape[3])
            guard k.shape[3] == depth, v.shape[1] == keyValueHeads else { throw context.fail("K \(k) and V \(v) do not fit Q \(q)") }
        }
        let sequenceAxis = threeDimensional ? 1 : 2
        guard k.shape[0] == batch, v.shape[0] == batch, v.shape[sequenceAxis] == keySequence else {
            throw context.fail("K \(k) and V \(v) must have Q's batch \(batch) and one sequence length")
        }
        guard keyValueHeads >= 1, queryHeads % keyValueHeads == 0 else {
            throw context.fail("kv_num_heads \(keyValueHeads) must divide q_num_heads \(queryHeads)")
        }
        var pastSequence = 0
        let hasPast = context.optionalType(4) != nil
        if hasPast {
            let pastKey = try context.type(4), pastValue = try context.type(5)
            pastSequence = pastKey.rank == 4 ? pastKey.shape[2] : -1
            guard pastKey.shape == [batch, keyValueHeads, pastSequence, depth], pastKey.dtype == q.dtype,
                  pastValue.shape == [batch, keyValueHeads, pastSequence, valueDepth], pastValue.dtype == v.dtype else {
                throw context.fail("past_key \(pastKey) and past_value \(pastValue) must be [\(batch), \(keyValueHeads), past, \(depth) | \(valueDepth)] like K and V")
            }
        }
        let total = try context.checked("the total key length") { () throws(ArithmeticOverflow) in try CheckedArithmetic.add(pastSequence, keySequence) }
        let mask = try maskLayout(context, target: [batch, queryHeads, querySequence, total], dtype: q.dtype)
        let hasPadding = context.optionalType(6) != nil
        if hasPadding {
            guard let lengths = context.optionalType(6), lengths.dtype == .int64, lengths.shape == [batch] else {
                throw context.fail("nonpad_kv_seqlen must be int64 [\(batch)], got \(context.optionalType(6).map(\.description) ?? "")")
            }
        }
        let outputHidden = try context.checked("Y's hidden size") { () throws(ArithmeticOverflow) in try CheckedArithmetic.multiply(queryHeads, valueDepth) }
        let outputTypes = [
            ValueType(q.dtype, threeDimensional ? [batch, querySequence, outputHidden] : [batch, queryHeads, querySequence, valueDepth]),
            ValueType(q.dtype, [batch, keyValueHeads, total, depth]), ValueType(v.dtype, [batch, keyValueHeads, total, valueDepth]),
            ValueType(q.dtype, [batch, queryHeads, querySequence, total]),
        ]
        func used(_ index: Int) -> Bool { index < context.node.outputs.count && !context.node.outputs[index].isEmpty }
        for (index, type) in outputTypes.enumerated() where used(index) {
            try context.requireAllocatable(type, value: context.node.outputs[index])
        }
        let inputCounts = Dictionary(uniqueKeysWithValues: (0..<6).compactMap { index in context.optionalType(index).map { (index, $0.elementCount) } })
        let outputCounts = Dictionary(uniqueKeysWithValues: (0..<4).filter(used).map { ($0, outputTypes[$0].elementCount) })
        var plan = ScratchPlan()
        for (index, count) in inputCounts.sorted(by: { $0.key < $1.key }) where context.optionalType(index)?.dtype != .float32 && context.optionalType(index)?.dtype != .bool {
            plan.widened[index] = plan.reserve(count)
        }
        for (index, count) in outputCounts.sorted(by: { $0.key < $1.key }) where outputTypes[index].dtype != .float32 {
            plan.results[index] = plan.reserve(count)
        }
        if hasPast {
            if plan.results[1] == nil, !used(1) { plan.presentKey = plan.reserve(outputTypes[1].elementCount) }
            if plan.results[2] == nil, !used(2) { plan.presentValue = plan.reserve(outputTypes[2].elementCount) }
        }
        let blockSize = used(3) ? max(total, 1) : min(max(total, 1), 256)
        // Multiply-adds, as a Double: the product of sizes from the file may exceed 64 bits.
        let work = [batch, queryHeads, querySequence, max(total, 1), depth + valueDepth].reduce(1.0) { $0 * Double($1) }
        let kernel = AttentionKernel(
            batchCount: batch, queryHeads: queryHeads, keyValueHeads: keyValueHeads, querySequence: querySequence,
            keySequence: keySequence, pastSequence: pastSequence, depth: depth, valueDepth: valueDepth,
            query: Layout(heads: queryHeads, sequence: querySequence, depth: depth, threeDimensional: threeDimensional),
            key: Layout(heads: keyValueHeads, sequence: keySequence, depth: depth, threeDimensional: threeDimensional),
            value: Layout(heads: keyValueHeads, sequence: keySequence, depth: valueDepth, threeDimensional: threeDimensional),
            output: Layout(heads: queryHeads, sequence: querySequence, depth: valueDepth, threeDimensional: threeDimensional),
            scale: attributes.scale ?? 1 / Float(depth).squareRoot(), attributes: attributes, mask: mask,
            hasPast: hasPast, hasPadding: hasPadding, dtype: q.dtype, valueDType: v.dtype,
            inputCounts: inputCounts, outputCounts: outputCounts, scratch: plan, blockSize: blockSize,
            threads: work < 65536 ? 1 : context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: Array(outputTypes.prefix(max(context.node.outputs.count, 1))))
    }

    /// The mask's strides against `target` ([B, Hq, Sq, T]), right-aligned as numpy
    /// broadcasts; its last axis may be shorter than T (the keys beyond it are masked).
    private static func maskLayout(_ context: KernelContext, target: [Int], dtype: DType) throws(RuntimeError) -> Mask? {
        guard let mask = context.optionalType(3) else { return nil }
        guard mask.dtype == .bool || mask.dtype == dtype else {
            throw context.unsupported("attn_mask is \(mask.dtype); it must be bool or \(dtype) like Q")
        }
        guard (1...4).contains(mask.rank) else { throw context.fail("attn_mask \(mask) must have rank 1 to 4") }
        let shape = Array(repeating: 1, count: 4 - mask.rank) + mask.shape
        var strides = Array(repeating: 0, count: 4), stride = 1
        for axis in (0..<4).reversed() {
            // The key axis is padded, never broadcast (the spec pads it to T with -inf).
            let fits = axis == 3 ? shape[axis] <= target[axis] : shape[axis] == target[axis] || shape[axis] == 1
            guard fits else { throw context.fail("attn_mask \(mask) does not broadcast to \(target) (its last axis may be shorter)") }
            strides[axis] = shape[axis] == 1 && axis < 3 ? 0 : stride
            stride *= shape[axis]
        }
        return Mask(strides: strides, length: shape[3], isBoolean: mask.dtype == .bool)
    }
}
