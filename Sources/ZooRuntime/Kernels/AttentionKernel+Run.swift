import CZooKernels
import Foundation
import ZooGraph
import ZooTensor

extension AttentionKernel {
    func run(_ io: KernelIO) {
        guard let base = io.scratch?.assumingMemoryBound(to: Float.self) else { return }
        let keyValueDTypes: [Int: DType] = [2: valueDType, 5: valueDType]
        func floats(_ index: Int) -> UnsafePointer<Float>? {
            guard let raw = io.optionalInput(index) else { return nil }
            guard let offset = scratch.widened[index], let count = inputCounts[index] else { return raw.assumingMemoryBound(to: Float.self) }
            Self.convert(raw, from: keyValueDTypes[index] ?? dtype, count: count, into: base + offset)
            return UnsafePointer(base + offset)
        }
        func result(_ index: Int) -> UnsafeMutablePointer<Float>? {
            guard outputCounts[index] != nil, let raw = io.optionalOutput(index) else { return nil }
            return scratch.results[index].map { base + $0 } ?? raw.assumingMemoryBound(to: Float.self)
        }
        let fourDimensional = { (depth: Int) in Layout(heads: keyValueHeads, sequence: totalSequence, depth: depth, threeDimensional: false) }
        var keys = floats(1)!, keyLayout = key, values = floats(2)!, valueLayout = value
        if let presentKey = result(1) ?? scratch.presentKey.map({ base + $0 }) {
            assemble(past: floats(4), current: keys, layout: key, depth: depth, into: presentKey)
            if hasPast { (keys, keyLayout) = (UnsafePointer(presentKey), fourDimensional(depth)) }
        }
        if let presentValue = result(2) ?? scratch.presentValue.map({ base + $0 }) {
            assemble(past: floats(5), current: values, layout: value, depth: valueDepth, into: presentValue)
            if hasPast { (values, valueLayout) = (UnsafePointer(presentValue), fourDimensional(valueDepth)) }
        }
        let operands = Operands(queries: floats(0)!, keys: keys, keyLayout: keyLayout, values: values, valueLayout: valueLayout,
                                floatMask: mask?.isBoolean == false ? floats(3) : nil,
                                booleanMask: mask?.isBoolean == true ? io.optionalInput(3)?.assumingMemoryBound(to: UInt8.self) : nil,
                                lengths: hasPadding ? io.optionalInput(6)?.assumingMemoryBound(to: Int64.self) : nil,
                                output: result(0)!, scores: result(3))
        let rows = batchCount * queryHeads * querySequence, workspaces = base + scratch.count
        Parallel.team(threads: threads) { member in
            let workspace = workspaces + member.index * workspaceFloats
            for row in member.share(of: rows) { attend(row: row, operands, workspace: workspace) }
        }
        for (index, offset) in scratch.results {
            guard let raw = io.optionalOutput(index), let count = outputCounts[index] else { continue }
            Self.convert(base + offset, count: count, to: index == 2 ? valueDType : dtype, into: raw)
        }
    }

    /// The float32 operands of one run.
    struct Operands {
        let queries: UnsafePointer<Float>
        let keys: UnsafePointer<Float>, keyLayout: Layout
        let values: UnsafePointer<Float>, valueLayout: Layout
        let floatMask: UnsafePointer<Float>?
        let booleanMask: UnsafePointer<UInt8>?
        let lengths: UnsafePointer<Int64>?
        let output: UnsafeMutablePointer<Float>
        let scores: UnsafeMutablePointer<Float>?
    }

    /// `[B, Hkv, P + S, depth]` from the past `[B, Hkv, P, depth]` (if any) and the current
    /// keys or values in `layout`.
    private func assemble(past: UnsafePointer<Float>?, current: UnsafePointer<Float>, layout: Layout, depth: Int,
                          into present: UnsafeMutablePointer<Float>) {
        for batch in 0..<batchCount {
            for head in 0..<keyValueHeads {
                var target = present + (batch * keyValueHeads + head) * totalSequence * depth
                if let past {
                    let count = pastSequence * depth
                    target.update(from: past + (batch * keyValueHeads + head) * count, count: count)
                    target += count
                }
                for row in 0..<keySequence {
                    target.update(from: current + layout.offset(batch, head, row), count: depth)
                    target += depth
                }
            }
        }
    }

    /// One query row: online softmax over blocks of keys, then Y = Σ p·v / Σ p.
    private func attend(row: Int, _ operands: Operands, workspace: UnsafeMutablePointer<Float>) {
        let queryIndex = row % querySequence, head = row / querySequence % queryHeads, batch = row / (querySequence * queryHeads)
        let keyHead = head / (queryHeads / keyValueHeads), total = totalSequence
        let query = operands.queries + self.query.offset(batch, head, queryIndex)
        let keys = operands.keys + operands.keyLayout.offset(batch, keyHead, 0), keyStride = operands.keyLayout.rowStride
        let values = operands.values + operands.valueLayout.offset(batch, keyHead, 0), valueStride = operands.valueLayout.rowStride
        var validKeys = total, offset = pastSequence
        if let lengths = operands.lengths {
            let length = Int(clamping: lengths[batch])
            (validKeys, offset) = (min(max(length, 0), total), length - querySequence)
        }
        let bias = RowBias(kernel: self, operands: operands, batch: batch, head: head, queryIndex: queryIndex,
                           position: queryIndex + offset, validKeys: validKeys)
        let scoresRow = operands.scores.map { $0 + row * total }
        let scores = workspace, accumulator = workspace + blockSize
        accumulator.update(repeating: 0, count: valueDepth)
        var maximum = -Float.infinity, sum: Float = 0
        for start in stride(from: 0, to: total, by: blockSize) {
            let count = min(blockSize, total - start)
            zoo_attention_scores(query, keys + start * keyStride, keyStride, count, depth, scale, scores)
            capture(.raw, scores, count, into: scoresRow.map { $0 + start })
            if attributes.softcap > 0 {
                let cap = attributes.softcap
                for index in 0..<count { scores[index] = cap * Foundation.tanh(scores[index] / cap) }
            }
            capture(.softcapped, scores, count, into: scoresRow.map { $0 + start })
            if bias.isNeeded { bias.apply(to: scores, count: count, firstKey: start) }
            capture(.biased, scores, count, into: scoresRow.map { $0 + start })
            var blockMaximum = -Float.infinity
            for index in 0..<count { blockMaximum = max(blockMaximum, scores[index]) }
            guard blockMaximum > -.infinity else { continue }
            let newMaximum = max(maximum, blockMaximum)
            let rescale = maximum == -.infinity ? 0 : Foundation.exp(maximum - newMaximum)
            sum = sum * rescale + zoo_attention_exponentiate(scores, count, newMaximum)
            zoo_attention_accumulate(scores, values + start * valueStride, valueStride, count, valueDepth, rescale, accumulator)
            maximum = newMaximum
        }
        let factor: Float = sum > 0 ? 1 / sum : 0
        let output = operands.output + self.output.offset(batch, head, queryIndex)
        for index in 0..<valueDepth { output[index] = accumulator[index] * factor }
        if attributes.scoresOutput == .probabilities, let scoresRow {
            // The block is the whole row here; a fully masked row is zeros.
            for index in 0..<total { scoresRow[index] = maximum == -.infinity ? 0 : scores[index] * factor }
        }
    }

    /// Copies the scores into qk_matmul_output when it holds them at `stage`.
    private func capture(_ stage: AttentionAttributes.ScoresOutput, _ scores: UnsafeMutablePointer<Float>, _ count: Int,
                         into target: UnsafeMutablePointer<Float>?) {
        guard attributes.scoresOutput == stage, let target else { return }
        target.update(from: scores, count: count)
    }

    /// Widens `count` elements of a floating dtype to float32.
    static func convert(_ source: UnsafeRawPointer, from dtype: DType, count: Int, into target: UnsafeMutablePointer<Float>) {
        guard let type = ElementTypes.floating(dtype) else { return }
        func widen<Element: TensorElement>(_: Element.Type) {
            let elements = source.assumingMemoryBound(to: Element.self)
            for index in 0..<count { target[index] = Float(elements[index].doubleValue) }
        }
        widen(type)
    }

    /// Narrows `count` float32 results to a floating dtype.
    static func convert(_ source: UnsafePointer<Float>, count: Int, to dtype: DType, into target: UnsafeMutableRawPointer) {
        guard let type = ElementTypes.floating(dtype) else { return }
        func narrow<Element: TensorElement>(_: Element.Type) {
            let elements = target.assumingMemoryBound(to: Element.self)
            for index in 0..<count { elements[index] = Element(fromDouble: Double(source[index])) }
        }
        narrow(type)
    }
}

/// The additive bias of one query row's scores (see AttentionKernel): −inf for masked keys,
/// the float mask's value for the others.
private struct RowBias {
    let isNeeded: Bool
    let isCausal: Bool
    let leftWindow: Int?, rightWindow: Int?
    /// The query's absolute position i + offset, and the keys below nonpad_kv_seqlen.
    let position: Int, validKeys: Int
    let floatMask: UnsafePointer<Float>?
    let booleanMask: UnsafePointer<UInt8>?
    let maskLength: Int

    init(kernel: AttentionKernel, operands: AttentionKernel.Operands, batch: Int, head: Int, queryIndex: Int, position: Int, validKeys: Int) {
        let attributes = kernel.attributes
        (isCausal, leftWindow, rightWindow) = (attributes.isCausal, attributes.leftWindow, attributes.rightWindow)
        (self.position, self.validKeys) = (position, validKeys)
        var rowOffset = 0
        if let mask = kernel.mask {
            rowOffset = batch * mask.strides[0] + head * mask.strides[1] + queryIndex * mask.strides[2]
        }
        floatMask = operands.floatMask.map { $0 + rowOffset }
        booleanMask = operands.booleanMask.map { $0 + rowOffset }
        maskLength = kernel.mask?.length ?? kernel.totalSequence
        isNeeded = kernel.mask != nil || isCausal || leftWindow != nil || rightWindow != nil || validKeys < kernel.totalSequence
    }

    func apply(to scores: UnsafeMutablePointer<Float>, count: Int, firstKey: Int) {
        for index in 0..<count {
            let key = firstKey + index
            var masked = key >= validKeys || key >= maskLength || (isCausal && key > position)
            if let leftWindow, position - key > leftWindow { masked = true }
            if let rightWindow, key - position > rightWindow { masked = true }
            var added: Float = 0
            if !masked, let booleanMask { masked = booleanMask[key] == 0 }
            if !masked, let floatMask {
                added = floatMask[key]
                masked = added == -.infinity
            }
            scores[index] = masked ? -.infinity : scores[index] + added
        }
    }
}
