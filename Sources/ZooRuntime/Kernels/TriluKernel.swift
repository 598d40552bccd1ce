import ZooGraph
import ZooTensor

/// Trilu: each matrix of the last two axes keeps its upper triangle (j − i ≥ k) or lower
/// triangle (j − i ≤ k) and is zero elsewhere; k (default 0) is read at run time. Each row
/// is one copied run and one zeroed run; rows are split over the threads.
struct TriluKernel: Kernel {
    let upper: Bool
    let matrixCount: Int
    let rows: Int
    let columns: Int
    let elementSize: Int
    let threads: Int

    static func prepare(_ context: KernelContext, upper: Bool) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard input.rank >= 2 else { throw context.fail("input must have at least 2 axes, got \(input)") }
        if let k = context.optionalType(1), k.dtype != .int64 || k.elementCount != 1 {
            throw context.fail("k must be one int64 value, got \(k)")
        }
        let (rows, columns) = (input.shape[input.rank - 2], input.shape[input.rank - 1])
        let kernel = TriluKernel(upper: upper, matrixCount: input.shape.dropLast(2).reduce(1, *), rows: rows, columns: columns,
                                 elementSize: input.dtype.byteSize, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input])
    }

    func run(_ io: KernelIO) {
        let input = io.input(0), output = io.output(0), size = elementSize
        // Beyond ±(rows + columns) every k keeps the same cells; clamping keeps i + k exact.
        let bound = rows + columns
        let k = Int(max(min(io.optionalInput(1)?.load(as: Int64.self) ?? 0, Int64(bound)), Int64(-bound)))
        let rowBytes = columns * size
        Parallel.forRanges(matrixCount * rows, threads: threads, minimumChunk: max(1, (1 << 16) / max(rowBytes, 1))) { range in
            for row in range {
                let i = row % rows
                // Columns [0, split) and [split, columns): the lower part, then the upper.
                let split = min(max(upper ? i + k : i + k + 1, 0), columns)
                let source = input + row * rowBytes, destination = output + row * rowBytes
                let (copied, zeroed) = upper ? (split..<columns, 0..<split) : (0..<split, split..<columns)
                (destination + copied.lowerBound * size).copyMemory(from: source + copied.lowerBound * size, byteCount: copied.count * size)
                (destination + zeroed.lowerBound * size).initializeMemory(as: UInt8.self, repeating: 0, count: zeroed.count * size)
            }
        }
    }
}
