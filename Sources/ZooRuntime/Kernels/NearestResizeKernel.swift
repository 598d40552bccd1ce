import ZooGraph

/// Nearest Resize, any dtype: each output row (the last axis) gathers its cells from one
/// input row through the last axis's precomputed source indices. An output row reading
/// the same input row as the one before it (every row but the first of each group, when
/// upsampling by an integer factor) is a copy of that row. Rows are split over threads.
struct NearestResizeKernel: Kernel {
    let sampling: [ResizeAxisSampling]
    let elementSize: Int
    let extrapolationValue: Float
    let threads: Int
    /// k when output cell i of the last axis reads source cell ⌊i / k⌋, for every i.
    let repeatFactor: Int?

    init(sampling: [ResizeAxisSampling], elementSize: Int, extrapolationValue: Float, threads: Int) {
        (self.sampling, self.elementSize, self.extrapolationValue, self.threads) = (sampling, elementSize, extrapolationValue, threads)
        let last = sampling[sampling.count - 1]
        let factor = last.inputLength > 0 ? last.outputLength / last.inputLength : 0
        let repeats = factor >= 2 && last.outputLength == factor * last.inputLength && last.extrapolated.isEmpty
            && last.sources.enumerated().allSatisfy { $0.element == $0.offset / factor }
        repeatFactor = repeats ? factor : nil
    }

    func run(_ io: KernelIO) {
        let input = UnsafeSendable(io.input(0)), output = UnsafeSendable(io.output(0))
        let last = sampling[sampling.count - 1]
        let outer = sampling.dropLast()
        let rowCount = outer.reduce(1) { $0 * $1.outputLength }
        let size = elementSize, rowBytes = last.outputLength * size
        guard rowCount > 0, rowBytes > 0 else { return }
        let inputStrides = StridedLayout.rowMajorStrides(sampling.map(\.inputLength))
        withUnsafeBytes(of: extrapolationValue) { fill in
            let pattern = UnsafeSendable(fill.baseAddress!)
            Parallel.forRanges(rowCount, threads: threads, minimumChunk: max(1, (1 << 14) / rowBytes)) { rows in
                var previous: Int? = nil
                for row in rows {
                    let destination = output.value + row * rowBytes
                    // The input row this output row reads; nil for an extrapolated one.
                    var remaining = row, offset: Int? = 0
                    for axis in outer.indices.reversed() {
                        let position = remaining % sampling[axis].outputLength
                        remaining /= sampling[axis].outputLength
                        if sampling[axis].isExtrapolated(position) { offset = nil; break }
                        offset! += sampling[axis].sources[position] * inputStrides[axis]
                    }
                    guard let offset else {
                        ElementBytes.fill(destination, count: last.outputLength, with: pattern.value, size: size)
                        previous = nil
                        continue
                    }
                    if offset == previous {
                        destination.copyMemory(from: destination - rowBytes, byteCount: rowBytes)
                    } else {
                        gather(from: input.value + offset * size, to: destination, last, pattern: pattern.value)
                    }
                    previous = offset
                }
            }
        }
    }

    /// One output row: cell i is source cell `axis.sources[i]`, or the extrapolation value.
    /// When the last axis repeats every cell `factor` times (integer upsampling, as FPN and
    /// YOLO heads do), each 4-byte source cell is read once and written `factor` times.
    private func gather(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, _ axis: ResizeAxisSampling,
                        pattern: UnsafeRawPointer) {
        if let factor = repeatFactor, elementSize == 4 {
            let from = source.assumingMemoryBound(to: UInt32.self)
            if factor == 2 {
                // Each cell twice: one 8-byte store of the cell in both halves.
                for cell in 0..<axis.inputLength {
                    let value = UInt64(from[cell])
                    (destination + 8 * cell).storeBytes(of: value | value << 32, as: UInt64.self)
                }
            } else {
                let to = destination.assumingMemoryBound(to: UInt32.self)
                for cell in 0..<axis.inputLength { (to + factor * cell).update(repeating: from[cell], count: factor) }
            }
            return
        }
        axis.sources.withUnsafeBufferPointer { indices in
            func copy<Element>(_: Element.Type) {
                let from = source.assumingMemoryBound(to: Element.self), to = destination.assumingMemoryBound(to: Element.self)
                for position in 0..<indices.count { to[position] = from[indices[position]] }
            }
            switch elementSize {
            case 1: copy(UInt8.self)
            case 2: copy(UInt16.self)
            case 4: copy(UInt32.self)
            case 8: copy(UInt64.self)
            default:
                for position in 0..<indices.count {
                    ElementBytes.copy(destination + position * elementSize, source + indices[position] * elementSize, size: elementSize)
                }
            }
        }
        for position in axis.extrapolated { ElementBytes.copy(destination + position * elementSize, pattern, size: elementSize) }
    }
}
