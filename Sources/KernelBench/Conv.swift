// 3x3 convolution, stride 1, pad 1, N = 1, forward inference, direct algorithm.
// src/weights/dst are created with format `any`; user NCHW/OIHW data are reordered once
// (untimed) into the layouts oneDNN picks, and the output is reordered back for checking.
import CDNNL

struct ConvShape {
    let channels: Int, filters: Int, height: Int, width: Int
    var shape: String { "1x\(channels)x\(height)x\(width), K=\(filters)" }
    /// Nominal count, padding taps included: 2*N*K*C*3*3*H*W.
    var flops: Double { 2 * Double(filters * channels * 9 * height * width) }
}

/// dnnl_dims_t-sized array (the C API takes `const dnnl_dims_t`, i.e. 12 int64).
private func dims12(_ v: [Int64]) -> [Int64] { v + Array(repeating: 0, count: 12 - v.count) }

func benchConv(_ s: ConvShape, engine: Engine, stream: Stream,
               threads: Int, warmup: Int, runs: Int) throws -> BenchResult {
    let (c, k, h, w) = (Int64(s.channels), Int64(s.filters), Int64(s.height), Int64(s.width))
    let x = FloatBuffer(count: s.channels * s.height * s.width, seed: 3)
    let wts = FloatBuffer(count: s.filters * s.channels * 9, seed: 4)
    let y = FloatBuffer(count: s.filters * s.height * s.width)
    y.fill(.nan)

    var srcAny = try memoryDesc([1, c, h, w], dnnl_format_tag_any)
    var weiAny = try memoryDesc([k, c, 3, 3], dnnl_format_tag_any)
    var dstAny = try memoryDesc([1, k, h, w], dnnl_format_tag_any)
    var desc = dnnl_convolution_desc_t()
    try check(dnnl_convolution_forward_desc_init(
        &desc, dnnl_forward_inference, dnnl_convolution_direct, &srcAny, &weiAny, nil, &dstAny,
        dims12([1, 1]), dims12([1, 1]), dims12([1, 1])), "dnnl_convolution_forward_desc_init")
    let pd = try PrimitiveDesc(opDesc: &desc, engine, what: "convolution")
    let prim = try Primitive(pd, what: "convolution")

    let srcMD = try pd.md(dnnl_query_src_md)
    let weiMD = try pd.md(dnnl_query_weights_md)
    let dstMD = try pd.md(dnnl_query_dst_md)
    let src = try Memory(srcMD, engine)
    let wei = try Memory(weiMD, engine)
    let dst = try Memory(dstMD, engine)
    let userX = try Memory(try memoryDesc([1, c, h, w], dnnl_nchw), engine, data: x.raw)
    let userW = try Memory(try memoryDesc([k, c, 3, 3], dnnl_oihw), engine, data: wts.raw)
    let userY = try Memory(try memoryDesc([1, k, h, w], dnnl_nchw), engine, data: y.raw)
    try reorder(userX, src, engine, stream)
    try reorder(userW, wei, engine, stream)

    let args = [(Arg.src, src), (Arg.weights, wei), (Arg.dst, dst)]
    let timing = try measure(warmup: warmup, runs: runs) { try prim.execute(stream, args) }
    try reorder(dst, userY, engine, stream)

    // Spot check against direct summation in Double.
    var worst = 0.0
    var failure: String?
    for flat in samplePoints(32, below: s.filters * s.height * s.width, seed: 11) {
        let oc = flat / (s.height * s.width), oh = (flat / s.width) % s.height, ow = flat % s.width
        var ref = 0.0, mag = 0.0
        for ic in 0..<s.channels {
            for r in 0..<3 {
                let ih = oh + r - 1
                guard ih >= 0 && ih < s.height else { continue }
                for q in 0..<3 {
                    let iw = ow + q - 1
                    guard iw >= 0 && iw < s.width else { continue }
                    let t = Double(x[(ic * s.height + ih) * s.width + iw])
                        * Double(wts[((oc * s.channels + ic) * 3 + r) * 3 + q])
                    ref += t
                    mag += abs(t)
                }
            }
        }
        let err = abs(Double(y[flat]) - ref) / max(mag, 1e-30)
        if !(err <= 1e-4) {
            failure = "y[\(oc),\(oh),\(ow)] = \(y[flat]) expected \(ref)"
            worst = err
            break
        }
        worst = max(worst, err)
    }
    let layout = "\(layoutName(srcMD))·\(layoutName(weiMD))→\(layoutName(dstMD))"
    return BenchResult(kernel: "conv3x3", shape: s.shape, flops: s.flops, timing: timing,
                       threads: threads, impl: try pd.implInfo, layout: layout,
                       failure: failure, maxError: worst)
}
