import CZooKernels
import ZooGraph

/// One execution of a `RecurrentKernel` after its input projection: the time steps of each
/// direction on a team of threads, each member owning a slice of the hidden units.
struct RecurrentRun {
    let kernel: RecurrentKernel
    let io: KernelIO
    /// sequence_lens, when some row is shorter than the sequence.
    let lengths: UnsafePointer<Int32>?
    /// The bias vectors (`RecurrentCellUpdate.splitBias`).
    let bias: UnsafeMutablePointer<Float>
    /// X·Wᵀ, [rows of X in its layout, directions, gates·H].
    let projected: UnsafeMutablePointer<Float>
    let state: UnsafeMutablePointer<Float>

    private var shape: RecurrentKernel.Shape { kernel.shape }

    /// Runs every direction; `r` is R padded, [directions, gates·H, paddedHidden].
    func run(r: UnsafePointer<Float>) {
        for direction in 0..<shape.directions {
            recur(direction: direction, r: r + direction * shape.gateWidth * shape.paddedHidden)
        }
    }

    /// The time index row `b` reads at `step` of `direction`, or nil once its sequence ended.
    private func time(of b: Int, step: Int, direction: Int) -> Int? {
        let length = lengths.map { Int($0[b]) } ?? shape.sequence
        guard step < length else { return nil }
        return shape.reverse[direction] ? length - 1 - step : step
    }

    private func recur(direction: Int, r: UnsafePointer<Float>) {
        let (hidden, padded, batch, width) = (shape.hidden, shape.paddedHidden, shape.batch, shape.gateWidth)
        let update = kernel.update
        // State: gate values [batch, gates·H], c [batch, H], h twice and r∘h [batch, padded].
        // GRU and RNN have no input 6 (initial_c) or output 2 (Y_c), so c stays unused.
        let gates = state, c = gates + batch * width
        let h = (c + batch * hidden, c + batch * (hidden + padded))
        let resetHidden = c + batch * (hidden + 2 * padded)
        h.0.update(repeating: 0, count: 3 * batch * padded)
        c.update(repeating: 0, count: batch * hidden)
        for b in 0..<batch {
            let offset = stateOffset(direction: direction, batch: b)
            for (index, target) in [(5, h.0 + b * padded), (6, c + b * hidden)] {
                if let initial = io.optionalInput(index) {
                    target.update(from: initial.assumingMemoryBound(to: Float.self) + offset, count: hidden)
                }
            }
        }
        let y = io.optionalOutput(0)?.assumingMemoryBound(to: Float.self)
        let peepholes = update.hasPeepholes ? io.optionalInput(7).map { $0.assumingMemoryBound(to: Float.self) + direction * 3 * hidden } : nil
        let stepBias = bias + direction * width, resetBias = bias + shape.directions * width + direction * hidden
        let directions = shape.directions
        Parallel.team(threads: kernel.threads) { member in
            // 16 units: one vector of floats, so no two members write the same cache line.
            let units = member.share(of: hidden, granule: 16)
            let first = units.lowerBound
            var (current, next) = h
            func row(_ b: Int, time: Int) -> RecurrentCellUpdate.Row {
                let source = shape.batchFirst ? b * shape.sequence + time : time * batch + b
                return RecurrentCellUpdate.Row(
                    gates: gates + b * width + first, projection: projected + (source * directions + direction) * width + first,
                    bias: stepBias + first, hidden: current + b * padded + first, next: next + b * padded + first,
                    cell: c + b * hidden + first, resetHidden: resetHidden + b * padded + first, resetBias: resetBias + first,
                    peepholes: peepholes.map { $0 + first })
            }
            for step in 0..<shape.sequence {
                if !units.isEmpty {
                    for gate in 0..<update.gatesMultipliedFirst {
                        zoo_gemv_rows(r, padded, padded, gate * hidden + first, gate * hidden + units.upperBound,
                                      current, padded, batch, nil, 0, gates, width)
                    }
                    for b in 0..<batch {
                        guard let time = time(of: b, step: step, direction: direction) else {
                            // A finished row keeps its state.
                            (next + b * padded + first).update(from: current + b * padded + first, count: units.count)
                            continue
                        }
                        update.first(row(b, time: time), count: units.count, hiddenSize: hidden, direction: direction)
                    }
                }
                if update.multipliesResetHidden {
                    member.barrier()
                    if !units.isEmpty {
                        zoo_gemv_rows(r, padded, padded, 2 * hidden + first, 2 * hidden + units.upperBound,
                                      resetHidden, padded, batch, nil, 0, gates, width)
                        for b in 0..<batch {
                            guard let time = time(of: b, step: step, direction: direction) else { continue }
                            update.second(row(b, time: time), count: units.count, hiddenSize: hidden, direction: direction)
                        }
                    }
                }
                if let y, !units.isEmpty {
                    for b in 0..<batch {
                        guard let time = time(of: b, step: step, direction: direction) else { continue }
                        let index = shape.batchFirst ? ((b * shape.sequence + time) * directions + direction) * hidden
                                                     : ((time * directions + direction) * batch + b) * hidden
                        (y + index + first).update(from: next + b * padded + first, count: units.count)
                    }
                }
                member.barrier()
                swap(&current, &next)
            }
        }
        // The buffers swap after every step, so an even count of steps ends in the first.
        let finalH = shape.sequence % 2 == 0 ? h.0 : h.1
        for b in 0..<batch {
            let offset = stateOffset(direction: direction, batch: b)
            if let output = io.optionalOutput(1) { (output.assumingMemoryBound(to: Float.self) + offset).update(from: finalH + b * padded, count: hidden) }
            if let finalC = io.optionalOutput(2) {
                (finalC.assumingMemoryBound(to: Float.self) + offset).update(from: c + b * hidden, count: hidden)
            }
        }
    }

    private func stateOffset(direction: Int, batch b: Int) -> Int {
        (shape.batchFirst ? b * shape.directions + direction : direction * shape.batch + b) * shape.hidden
    }
}
