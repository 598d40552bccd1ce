import ZooGraph
import ZooTensor

/// Pad, row by row of the output's last axis. Negative pads crop first (as the ONNX
/// reference does), then each axis gains `begin` cells before and `end` after the kept
/// range: the constant, the mirrored input (reflect, numpy's rule, repeating for pads wider
/// than the input), the edge value (edge) or the input repeated (wrap). A row whose outer
/// position lies in constant padding is filled; any other row copies its kept cells as one
/// run and fills or maps the cells either side. Rows are split over the threads.
struct PadKernel: Kernel {
    let axes: [PaddedAxis]
    let inputStrides: [Int]
    let mode: PadMode
    let elementSize: Int
    let rowCount: Int
    let threads: Int

    static func prepare(_ context: KernelContext, mode: PadMode) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard let pads = try context.constantIntegers(1, role: "pads") else { throw context.fail("missing pads") }
        var padded = Array(0..<input.rank)
        if let requested = try context.constantIntegers(3, role: "axes") {
            padded = []
            for axis in requested {
                let resolved = try context.axis(axis, rank: input.rank, name: "axes")
                guard !padded.contains(resolved) else { throw context.fail("axes \(requested) name axis \(resolved) twice") }
                padded.append(resolved)
            }
        }
        guard pads.count == 2 * padded.count else {
            throw context.fail("pads has \(pads.count) values; \(padded.count) padded axes need \(2 * padded.count)")
        }
        if let value = context.optionalType(2) {
            guard value.dtype == input.dtype, value.elementCount == 1 else {
                throw context.fail("constant_value must be one \(input.dtype) value, got \(value)")
            }
        }
        var begins = Array(repeating: 0, count: input.rank), ends = begins
        for (position, axis) in padded.enumerated() {
            (begins[axis], ends[axis]) = (pads[position], pads[position + padded.count])
        }
        var axes: [PaddedAxis] = []
        for axis in 0..<input.rank {
            do { axes.append(try PaddedAxis(inputLength: input.shape[axis], begin: begins[axis], end: ends[axis], mode: mode)) } catch {
                throw context.fail("axis \(axis): \(error)")
            }
        }
        let shape = axes.map(\.length)
        let outputType = ValueType(input.dtype, shape)
        try context.requireAllocatable(outputType, value: context.node.outputs[0])
        let rowCount = shape.contains(0) ? 0 : shape.dropLast().reduce(1, *)
        let kernel = PadKernel(axes: axes, inputStrides: StridedLayout.rowMajorStrides(input.shape), mode: mode,
                               elementSize: input.dtype.byteSize, rowCount: rowCount, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [outputType])
    }

    func run(_ io: KernelIO) {
        let input = io.input(0), output = io.output(0), size = elementSize
        guard rowCount > 0 else { return }
        guard let last = axes.last else {
            output.copyMemory(from: input, byteCount: size)  // a scalar: nothing to pad
            return
        }
        var zero: UInt64 = 0
        withUnsafeMutableBytes(of: &zero) { zeroBytes in
            let constant = UnsafeSendable(io.optionalInput(2) ?? UnsafeRawPointer(zeroBytes.baseAddress!))
            let rowBytes = last.length * size
            Parallel.forRanges(rowCount, threads: threads, minimumChunk: max(1, (1 << 15) / max(rowBytes, 1))) { rows in
                for row in rows {
                    let destination = output + row * rowBytes
                    guard let source = sourceRow(row) else {
                        ElementBytes.fill(destination, count: last.length, with: constant.value, size: size)
                        continue
                    }
                    copyRow(from: input + source * size, to: destination, axis: last, constant: constant.value)
                }
            }
        }
    }

    /// Element offset in the input of the row the output's `row` reads, or nil when it lies
    /// in constant padding.
    private func sourceRow(_ row: Int) -> Int? {
        var remaining = row, offset = 0
        for axis in axes.indices.dropLast().reversed() {
            let position = remaining % axes[axis].length
            remaining /= axes[axis].length
            guard let source = axes[axis].source(position, mode: mode) else { return nil }
            offset += source * inputStrides[axis]
        }
        return offset
    }

    /// One row of the last axis: the cells before the kept run, the run, the cells after.
    private func copyRow(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, axis: PaddedAxis,
                         constant: UnsafeRawPointer) {
        let size = elementSize
        let after = axis.before + axis.kept
        (destination + axis.before * size).copyMemory(from: source + axis.first * size, byteCount: axis.kept * size)
        if mode == .constant {
            ElementBytes.fill(destination, count: axis.before, with: constant, size: size)
            ElementBytes.fill(destination + after * size, count: axis.length - after, with: constant, size: size)
            return
        }
        // Outside constant mode every position maps to a kept cell.
        for position in 0..<axis.before {
            ElementBytes.copy(destination + position * size, source + (axis.source(position, mode: mode) ?? 0) * size, size: size)
        }
        for position in after..<axis.length {
            ElementBytes.copy(destination + position * size, source + (axis.source(position, mode: mode) ?? 0) * size, size: size)
        }
    }
}

extension PaddedAxis {
    /// The input index output index `position` reads, or nil for a constant cell.
    @inline(__always)
    func source(_ position: Int, mode: PadMode) -> Int? {
        let offset = position - before
        if offset >= 0 && offset < kept { return first + offset }
        switch mode {
        case .constant: return nil
        case .edge: return first + (offset < 0 ? 0 : kept - 1)
        case .wrap: return first + ((offset % kept) + kept) % kept
        case .reflect:
            guard kept > 1 else { return first }
            let period = 2 * (kept - 1)
            let phase = ((offset % period) + period) % period
            return first + (phase < kept ? phase : period - phase)
        }
    }
}
