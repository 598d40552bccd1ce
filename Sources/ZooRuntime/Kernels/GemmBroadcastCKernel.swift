import ZooGraph

/// Gemm with a C the matmul primitive cannot take as it stands: a run-time C of any
/// shape that broadcasts to [M, N] with any beta, a constant C that is not one row, or a
/// row C with alpha ≠ 1 on a run-time B (oneDNN would scale the bias too).
///
/// Contract: output = epilogue(alpha·A·B + beta·C), C of rank ≤ 2 broadcast to [M, N]. Each
/// run writes beta·C, broadcast, into scratch as an [M, N] matrix, then runs the matmul with
/// that matrix as its first post-op operand (a binary add before any fused activation).
struct GemmBroadcastCKernel: Kernel {
    let product: any Kernel
    let rows: Int, columns: Int
    /// C's strides in the broadcast [M, N] view: 0 along a broadcast axis.
    let rowStride: Int, columnStride: Int
    let beta: Float
    let threads: Int

    private var expandedByteCount: Int { MemoryPlanner.aligned(rows * columns * MemoryLayout<Float>.size) }
    var scratchByteCount: Int { expandedByteCount + product.scratchByteCount }

    static func prepare(_ context: KernelContext, _ attributes: GemmAttributes, rows: Int, columns: Int) throws(RuntimeError) -> PreparedKernel {
        let c = try context.floatType(2).shape
        let padded = Array(repeating: 1, count: max(0, 2 - c.count)) + c
        guard c.count <= 2, padded[0] == 1 || padded[0] == rows, padded[1] == 1 || padded[1] == columns else {
            throw context.fail("C of shape \(c) does not broadcast to [\(rows), \(columns)]")
        }
        let productContext = MatMulKernel.movingCToEpilogue(context, expandedTo: [rows, columns])
        let product = try MatMulKernel.prepareGemm(productContext, attributes)
        let kernel = GemmBroadcastCKernel(product: product.kernel, rows: rows, columns: columns,
                                          rowStride: padded[0] == 1 ? 0 : padded[1], columnStride: padded[1] == 1 ? 0 : 1,
                                          beta: attributes.beta, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: product.outputTypes, packedInputs: product.packedInputs)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard rows * columns > 0, let scratch = io.scratch else { return }
        let c = io.floats(2)
        let expanded = scratch.assumingMemoryBound(to: Float.self)
        let (rowStride, columnStride, columns, beta) = (rowStride, columnStride, columns, beta)
        Parallel.forRanges(rows, threads: threads, minimumChunk: max(1, 16_384 / columns)) { range in
            for row in range {
                for column in 0..<columns {
                    expanded[row * columns + column] = beta * c[row * rowStride + column * columnStride]
                }
            }
        }
        // The product reads the expanded matrix where C was: the kernel inputs keep their order.
        var failure: RuntimeError?
        withUnsafeTemporaryAllocation(of: UnsafeRawPointer?.self, capacity: io.inputs.count) { inputs in
            for index in io.inputs.indices { inputs[index] = io.inputs[index] }
            inputs[2] = UnsafeRawPointer(expanded)
            let productIO = KernelIO(inputs: UnsafeBufferPointer(inputs), outputs: io.outputs,
                                     scratch: scratch + expandedByteCount, stream: io.stream, threads: io.threads)
            do throws(RuntimeError) { try product.run(productIO) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}
