// f32 GEMM C[M,N] = A[M,K] * B[K,N] (row-major) three ways:
//   sgemm          dnnl_sgemm (BLAS-like entry point, no primitive)
//   matmul         matmul primitive, all operands plain row-major (ab)
//   matmul packed  matmul primitive with weights tag `any`; B reordered once, untimed,
//                  into the layout oneDNN picks (what an executor does with constant weights)
import CDNNL

struct GemmOperands {
    let m: Int, n: Int, k: Int
    let a: FloatBuffer, b: FloatBuffer, c: FloatBuffer
    init(size: Int) {
        m = size; n = size; k = size
        a = FloatBuffer(count: m * k, seed: 1)
        b = FloatBuffer(count: k * n, seed: 2)
        c = FloatBuffer(count: m * n)
    }
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    var shape: String { m == n && n == k ? "\(m)³" : "\(m)x\(n)x\(k)" }

    /// Worst relative error over sampled C entries, each against a Double dot product,
    /// scaled by sum |a_ik * b_kj| (the natural bound for f32 accumulation error).
    func verify(points: Int = 24) -> (maxError: Double, failure: String?) {
        var worst = 0.0
        for (idx, flat) in samplePoints(points, below: m * n, seed: 7).enumerated() {
            let i = flat / n, j = flat % n
            var ref = 0.0, mag = 0.0
            for p in 0..<k {
                let t = Double(a[i * k + p]) * Double(b[p * n + j])
                ref += t
                mag += abs(t)
            }
            let err = abs(Double(c[flat]) - ref) / max(mag, 1e-30)
            if !(err <= 1e-4) {
                return (err, "C[\(i),\(j)] = \(c[flat]) expected \(ref) (sample \(idx))")
            }
            worst = max(worst, err)
        }
        return (worst, nil)
    }
}

func benchSgemm(_ ops: GemmOperands, threads: Int, warmup: Int, runs: Int) throws -> BenchResult {
    ops.c.fill(.nan)
    let (m, n, k) = (Int64(ops.m), Int64(ops.n), Int64(ops.k))
    let trans = CChar(UInt8(ascii: "N"))
    let timing = try measure(warmup: warmup, runs: runs) {
        try check(dnnl_sgemm(trans, trans, m, n, k, 1, ops.a.pointer, k, ops.b.pointer, n,
                             0, ops.c.pointer, n), "dnnl_sgemm")
    }
    let (err, failure) = ops.verify()
    return BenchResult(kernel: "sgemm", shape: ops.shape, flops: ops.flops, timing: timing,
                       threads: threads, impl: "dnnl_sgemm (no pd)", layout: "ab·ab→ab",
                       failure: failure, maxError: err)
}

func benchMatmul(_ ops: GemmOperands, packedWeights: Bool, engine: Engine, stream: Stream,
                 threads: Int, warmup: Int, runs: Int) throws -> BenchResult {
    ops.c.fill(.nan)
    let (m, n, k) = (Int64(ops.m), Int64(ops.n), Int64(ops.k))
    var srcMD = try memoryDesc([m, k], dnnl_ab)
    var weiMD = try memoryDesc([k, n], packedWeights ? dnnl_format_tag_any : dnnl_ab)
    var dstMD = try memoryDesc([m, n], dnnl_ab)
    var desc = dnnl_matmul_desc_t()
    try check(dnnl_matmul_desc_init(&desc, &srcMD, &weiMD, nil, &dstMD), "dnnl_matmul_desc_init")
    let pd = try PrimitiveDesc(opDesc: &desc, engine, what: "matmul")
    let prim = try Primitive(pd, what: "matmul")

    let src = try Memory(srcMD, engine, data: ops.a.raw)
    let dst = try Memory(dstMD, engine, data: ops.c.raw)
    let userB = try Memory(try memoryDesc([k, n], dnnl_ab), engine, data: ops.b.raw)
    let chosenW = try pd.md(dnnl_query_weights_md)
    let wei: Memory
    if packedWeights {
        wei = try Memory(chosenW, engine)          // library-allocated, blocked
        try reorder(userB, wei, engine, stream)    // once, untimed
    } else {
        wei = userB
    }
    let args = [(Arg.src, src), (Arg.weights, wei), (Arg.dst, dst)]
    let timing = try measure(warmup: warmup, runs: runs) { try prim.execute(stream, args) }
    let (err, failure) = ops.verify()
    let layout = "\(layoutName(try pd.md(dnnl_query_src_md)))·\(layoutName(chosenW))"
        + "→\(layoutName(try pd.md(dnnl_query_dst_md)))"
    return BenchResult(kernel: packedWeights ? "matmul (B any)" : "matmul", shape: ops.shape,
                       flops: ops.flops, timing: timing, threads: threads, impl: try pd.implInfo,
                       layout: layout, failure: failure, maxError: err)
}
