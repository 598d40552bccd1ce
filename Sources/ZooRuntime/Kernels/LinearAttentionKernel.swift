import Foundation
import ZooGraph
import ZooTensor

/// LinearAttention (opset 27) in float32 or float16 (widened; state and sums in float32). Inputs are packed `[B, T, H·D]`; every (batch,
/// key/value head) pair runs its own recurrence over the T tokens on a dk×dv state S (the
/// past state, or zeros), one pair per task over threads. Per token: gated rules multiply row
/// i of S by exp(g[i]) (g per key feature, or one per head); delta rules replace v by
/// β·(v − Sᵀk) (β per head or one for all); then S += k⊗v, and each query head of the group
/// (query head h reads key/value head h / (Hq/Hkv)) outputs scale·qᵀS. The present state is S
/// after the last token.
struct LinearAttentionKernel: Kernel {
    let batch: Int, tokens: Int, queryHeads: Int, keyValueHeads: Int, keySize: Int, valueSize: Int
    let rule: LinearAttentionAttributes.UpdateRule
    let scale: Float
    /// The decay's and beta's last axes: Hkv·dk or Hkv, and Hkv or 1.
    let decayWidth: Int, betaWidth: Int
    let isHalf: Bool
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: LinearAttentionAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let query = try context.type(0), key = try context.type(1), value = try context.type(2)
        guard query.dtype == .float32 || query.dtype == .float16, key.dtype == query.dtype, value.dtype == query.dtype else {
            throw context.unsupported("query \(query), key \(key) and value \(value) must all be float32 or all float16")
        }
        let (queryHeads, keyValueHeads) = (attributes.queryHeadCount, attributes.keyValueHeadCount)
        guard query.rank == 3, key.shape.prefix(2) == query.shape.prefix(2), value.shape.prefix(2) == query.shape.prefix(2),
              key.rank == 3, value.rank == 3 else {
            throw context.fail("query \(query), key \(key) and value \(value) must be [batch, tokens, heads·size] alike")
        }
        let (batch, tokens) = (query.shape[0], query.shape[1])
        guard query.shape[2] % queryHeads == 0, value.shape[2] % keyValueHeads == 0, query.shape[2] > 0, value.shape[2] > 0 else {
            throw context.fail("query \(query) and value \(value) must split into \(queryHeads) and \(keyValueHeads) heads")
        }
        let (keySize, valueSize) = (query.shape[2] / queryHeads, value.shape[2] / keyValueHeads)
        guard key.shape[2] == keySize * keyValueHeads else {
            throw context.fail("key \(key) must hold \(keyValueHeads) heads of the query's size \(keySize)")
        }
        let state = ValueType(query.dtype, [batch, keyValueHeads, keySize, valueSize])
        if let past = context.optionalType(3), past != state { throw context.fail("past_state must be \(state), got \(past)") }
        let decayWidth = try Self.gate(context, 4, attributes.updateRule.isGated, "decay", widths: [keyValueHeads * keySize, keyValueHeads], query.dtype, batch, tokens)
        let betaWidth = try Self.gate(context, 5, attributes.updateRule.isDelta, "beta", widths: [keyValueHeads, 1], query.dtype, batch, tokens)
        let output = ValueType(query.dtype, [batch, tokens, try context.checked("the output's hidden size") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(queryHeads, valueSize) }])
        try context.requireAllocatable(output, value: context.node.outputs[0])
        try context.requireAllocatable(state, value: context.node.outputs.count > 1 ? context.node.outputs[1] : "present_state")
        let kernel = LinearAttentionKernel(
            batch: batch, tokens: tokens, queryHeads: queryHeads, keyValueHeads: keyValueHeads, keySize: keySize, valueSize: valueSize,
            rule: attributes.updateRule, scale: attributes.scale ?? 1 / Float(keySize).squareRoot(),
            decayWidth: decayWidth, betaWidth: betaWidth, isHalf: query.dtype == .float16, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [output, state])
    }

    /// The last axis of a decay or beta input `[B, T, width]`, which the rule needs or forbids; 0 when absent.
    private static func gate(_ context: KernelContext, _ index: Int, _ wanted: Bool, _ name: String, widths: [Int],
                             _ dtype: DType, _ batch: Int, _ tokens: Int) throws(RuntimeError) -> Int {
        guard let type = context.optionalType(index) else {
            if wanted { throw context.fail("this update_rule needs the \(name) input") }
            return 0
        }
        guard wanted else { throw context.fail("this update_rule takes no \(name) input") }
        guard type.dtype == dtype, type.rank == 3, type.shape[0] == batch, type.shape[1] == tokens, widths.contains(type.shape[2]) else {
            throw context.fail("\(name) must be \(dtype) [\(batch), \(tokens), \(widths.map(String.init).joined(separator: " or "))], got \(type)")
        }
        return type.shape[2]
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        if isHalf { run(io, Float16.self) } else { run(io, Float.self) }
    }

    private func run<Element: BinaryFloatingPoint>(_ io: KernelIO, _: Element.Type) {
        func input(_ index: Int) -> UnsafePointer<Element>? { io.optionalInput(index)?.assumingMemoryBound(to: Element.self) }
        let query = io.input(0).assumingMemoryBound(to: Element.self), key = io.input(1).assumingMemoryBound(to: Element.self)
        let value = io.input(2).assumingMemoryBound(to: Element.self), output = io.output(0).assumingMemoryBound(to: Element.self)
        let past = input(3), decay = input(4), beta = input(5)
        let present = io.optionalOutput(1)?.assumingMemoryBound(to: Element.self)
        let stateSize = keySize * valueSize, group = queryHeads / keyValueHeads
        // A decode step on a small state is too little work to share (in Double: T·dk·dv may exceed Int).
        let pairWork = max(1, Double(tokens) * Double(stateSize) * Double(group + 2))
        Parallel.forRanges(batch * keyValueHeads, threads: threads, minimumChunk: max(1, Int(16384 / pairWork))) { range in
            // State, then the corrected value and a head's output (dv each); at least one element so it has an address.
            var buffer = [Float](repeating: 0, count: max(stateSize + 2 * valueSize, 1))
            buffer.withUnsafeMutableBufferPointer { storage in
                let state = storage.baseAddress!, update = state + stateSize, read = update + valueSize
                for pair in range {
                    let (b, head) = (pair / keyValueHeads, pair % keyValueHeads)
                    for index in 0..<stateSize { state[index] = past.map { Float($0[pair * stateSize + index]) } ?? 0 }
                    for t in 0..<tokens {
                        let row = b * tokens + t
                        let k = key + (row * keyValueHeads + head) * keySize, v = value + (row * keyValueHeads + head) * valueSize
                        if let decay {
                            let perFeature = decayWidth != keyValueHeads, g = decay + row * decayWidth
                            for i in 0..<keySize {
                                let factor = exp(Float(perFeature ? g[head * keySize + i] : g[head]))
                                for j in 0..<valueSize { state[i * valueSize + j] *= factor }
                            }
                        }
                        if let beta {
                            let rate = Float(beta[row * betaWidth + (betaWidth == 1 ? 0 : head)])
                            for j in 0..<valueSize {
                                var retrieved: Float = 0
                                for i in 0..<keySize { retrieved += state[i * valueSize + j] * Float(k[i]) }
                                update[j] = rate * (Float(v[j]) - retrieved)
                            }
                        } else {
                            for j in 0..<valueSize { update[j] = Float(v[j]) }
                        }
                        for i in 0..<keySize {
                            let feature = Float(k[i])
                            for j in 0..<valueSize { state[i * valueSize + j] += feature * update[j] }
                        }
                        for queryHead in head * group..<(head + 1) * group {
                            let q = query + (row * queryHeads + queryHead) * keySize
                            let y = output + (row * queryHeads + queryHead) * valueSize
                            for j in 0..<valueSize { read[j] = 0 }
                            for i in 0..<keySize {
                                let weight = scale * Float(q[i])
                                for j in 0..<valueSize { read[j] += weight * state[i * valueSize + j] }
                            }
                            for j in 0..<valueSize { y[j] = Element(read[j]) }
                        }
                    }
                    if let present { for index in 0..<stateSize { present[pair * stateSize + index] = Element(state[index]) } }
                }
            }
        }
    }
}
