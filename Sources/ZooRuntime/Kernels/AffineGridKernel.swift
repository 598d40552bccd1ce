import ZooGraph

/// AffineGrid: theta `[N, r, r+1]` (float32) maps each point of the base grid over
/// `size = [N, C, D1…Dr]` (a constant once shapes are known) to `[N, D1…Dr, r]`. Along an axis
/// of length L the base coordinates are −1 + 2i/(L − 1) with align_corners, else
/// (2i + 1)/L − 1; a point is (x, y[, z], 1), the innermost axis first. A length of 1 has the
/// single coordinate 0 (PyTorch's choice). Points are spread over threads.
struct AffineGridKernel: Kernel {
    let batchCount: Int
    /// Sizes of the spatial axes, outermost first.
    let lengths: [Int]
    let alignCorners: Bool
    let threads: Int

    static func prepare(_ context: KernelContext, alignCorners: Bool) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let theta = try context.floatType(0)
        guard theta.rank == 3, [2, 3].contains(theta.shape[1]), theta.shape[2] == theta.shape[1] + 1 else {
            throw context.fail("theta must be [N, 2, 3] or [N, 3, 4], got \(theta)")
        }
        guard let size = try context.constantIntegers(1, role: "size") else { throw context.fail("input 1 (size) is required") }
        let spatialRank = theta.shape[1]
        guard size.count == spatialRank + 2, size.allSatisfy({ $0 >= 0 }), size[0] == theta.shape[0] else {
            throw context.fail("size \(size) must hold \(spatialRank + 2) sizes, not negative, [N, C, spatial…] with N = \(theta.shape[0]) for theta \(theta)")
        }
        let output = ValueType(.float32, [theta.shape[0]] + size[2...] + [spatialRank])
        try context.requireAllocatable(output, value: context.node.outputs[0])
        let kernel = AffineGridKernel(batchCount: theta.shape[0], lengths: Array(size[2...]), alignCorners: alignCorners, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    func run(_ io: KernelIO) {
        let theta = io.floats(0), output = io.outputFloats(0)
        let rank = lengths.count, pointCount = lengths.reduce(1, *)
        Parallel.forRanges(batchCount * pointCount, threads: threads, minimumChunk: 2048) { range in
            for item in range {
                let batch = item / pointCount
                var rest = item % pointCount
                // Base coordinates, innermost axis first, then the homogeneous 1 (held inline: r ≤ 3).
                var base = SIMD4<Float>(repeating: 1)
                for axis in stride(from: rank - 1, through: 0, by: -1) {
                    base[rank - 1 - axis] = coordinate(rest % lengths[axis], length: lengths[axis])
                    rest /= lengths[axis]
                }
                let matrix = theta + batch * rank * (rank + 1), point = output + item * rank
                for row in 0..<rank {
                    var sum: Float = 0
                    for column in 0...rank { sum += matrix[row * (rank + 1) + column] * base[column] }
                    point[row] = sum
                }
            }
        }
    }

    private func coordinate(_ index: Int, length: Int) -> Float {
        guard length > 1 else { return 0 }
        return alignCorners ? -1 + 2 * Float(index) / Float(length - 1) : (2 * Float(index) + 1) / Float(length) - 1
    }
}
