import CZooKernels
import ZooTensor

/// Gemm or MatMul with 1–8 rows of activations against constant weights, optionally with a
/// bias and a ReLU, sigmoid or tanh: a batch-1 classifier layer (AlexNet's 9216→4096 reads
/// 151 MB for 38 M multiply-adds). Such a layer is bound by how fast the weights stream
/// from memory, so the kernel reads each weight row once for all activation rows
/// (`zoo_gemv_rows`) and splits the weight rows over the threads. Weights stored [N, K] (Gemm with transB, PyTorch's
/// Linear) are read in place, shared with the caller's graph; [K, N] ones are transposed
/// once at compile time.
struct MatrixVectorKernel: Kernel {
    /// [N, K], row-major.
    let weights: Tensor
    let bias: Tensor?
    /// A `ZOO_ACTIVATION_*` code, applied to each output as its row range is finished: ReLU
    /// inside the C kernel, sigmoid and tanh on the range right after, while it is in cache.
    let activation: Int32
    let rows: Int, inner: Int, columns: Int
    let threads: Int

    /// Activation rows up to which this kernel replaces the GEMM whatever the weights' size.
    static let maximumRows = 4
    /// Up to 8 rows it also does when the weights fit in a core's L2 cache (1 MiB here):
    /// LeNet-5's classifier at batch 8 ran as fast as oneDNN's GEMM and without its packed
    /// copy and primitive state (session memory 0.9 → 0.4 MB); AlexNet's 151 MB fc6 ran
    /// 5–8% slower than the GEMM, which reuses each loaded activation for more outputs.
    static let maximumRowsForCachedWeights = 8
    static let cachedWeightBytes = 1 << 20

    /// The kernel for `geometry`, or nil when it does not apply: more rows, a transposed or
    /// batched A, run-time weights, an alpha, or an epilogue other than one activation.
    static func make(_ context: KernelContext, _ geometry: MatMulKernel.Geometry, weights: Tensor?, bias: Tensor?)
        throws(RuntimeError) -> MatrixVectorKernel?
    {
        guard context.compilesPrimitives, let weights, weights.dtype == .float32, geometry.alpha == 1,
              geometry.source.count == 2,
              geometry.source[0] <= (weights.byteCount <= cachedWeightBytes ? maximumRowsForCachedWeights : maximumRows),
              geometry.sourceStrides == [geometry.source[1], 1],
              let activation = context.node.epilogue.zooActivation else { return nil }
        let (rows, inner, columns) = (geometry.source[0], geometry.source[1], geometry.columns)
        let stored: Tensor
        switch geometry.weightsStrides {
        case [1, inner]: stored = weights  // already [N, K]
        case [columns, 1]: stored = try transposed(weights, inner: inner, columns: columns)
        default: return nil
        }
        let threads = SmallWork.isSmall([columns, inner]) ? 1 : context.threads
        return MatrixVectorKernel(weights: stored, bias: bias, activation: activation,
                                  rows: rows, inner: inner, columns: columns, threads: threads)
    }

    private static func transposed(_ weights: Tensor, inner: Int, columns: Int) throws(RuntimeError) -> Tensor {
        var result: Tensor
        do { result = try Tensor(zeros: [columns, inner], dtype: .float32) } catch { throw .tensor(error) }
        weights.withUnsafeBytes { source in
            result.withUnsafeMutableBytes { target in
                let from = source.bindMemory(to: Float.self), to = target.bindMemory(to: Float.self)
                for k in 0..<inner {
                    for n in 0..<columns { to[n * inner + k] = from[k * columns + n] }
                }
            }
        }
        return result
    }

    func run(_ io: KernelIO) {
        let x = UnsafeSendable(io.floats(0)), y = UnsafeSendable(io.outputFloats(0))
        weights.withUnsafeBytes { weightBytes in
            withBias { bias in
                let w = UnsafeSendable(weightBytes.baseAddress!.assumingMemoryBound(to: Float.self))
                let b = UnsafeSendable(bias)
                // 64 output rows per piece at least: a thread's share should stream far more
                // than the hand-off costs.
                Parallel.forRanges(columns, threads: threads, minimumChunk: 64) { range in
                    zoo_gemv_rows(w.value, inner, inner, range.lowerBound, range.upperBound, x.value, inner, rows,
                                  b.value, activation == ZOO_ACTIVATION_RELU ? 1 : 0, y.value, columns)
                    if activation == ZOO_ACTIVATION_SIGMOID || activation == ZOO_ACTIVATION_TANH {
                        for row in 0..<rows {
                            let outputs = y.value + row * columns + range.lowerBound
                            zoo_activate(outputs, outputs, range.count, activation)
                        }
                    }
                }
            }
        }
    }

    private func withBias(_ body: (UnsafePointer<Float>?) -> Void) {
        guard let bias else { return body(nil) }
        bias.withUnsafeBytes { body($0.baseAddress!.assumingMemoryBound(to: Float.self)) }
    }
}
