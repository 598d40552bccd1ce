// Thin RAII wrappers over the oneDNN 2.6 C API: every dnnl_status_t is checked and
// turned into a Swift error that names the failing call.
import CDNNL

struct DNNLError: Error, CustomStringConvertible {
    let call: String
    let status: dnnl_status_t
    var description: String {
        "\(call) failed: \(String(cString: dnnl_status2str(status))) (status \(status.rawValue))"
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

@inline(__always)
func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
    guard status == dnnl_success else { throw DNNLError(call: call(), status: status) }
}

/// Argument indices for dnnl_primitive_execute (the header's DNNL_ARG_* macros import as Int32).
enum Arg {
    static let src = Int32(DNNL_ARG_SRC)
    static let weights = Int32(DNNL_ARG_WEIGHTS)
    static let bias = Int32(DNNL_ARG_BIAS)
    static let dst = Int32(DNNL_ARG_DST)
    static let from = Int32(DNNL_ARG_FROM)   // reorder source
    static let to = Int32(DNNL_ARG_TO)       // reorder destination
}

final class Engine {
    let handle: dnnl_engine_t
    init() throws {
        var e: dnnl_engine_t?
        try check(dnnl_engine_create(&e, dnnl_cpu, 0), "dnnl_engine_create")
        guard let e else { throw BenchError("dnnl_engine_create returned no engine") }
        handle = e
    }
    deinit { dnnl_engine_destroy(handle) }
}

final class Stream {
    let handle: dnnl_stream_t
    init(_ engine: Engine) throws {
        var s: dnnl_stream_t?
        try check(dnnl_stream_create(&s, engine.handle, dnnl_stream_default_flags.rawValue),
                  "dnnl_stream_create")
        guard let s else { throw BenchError("dnnl_stream_create returned no stream") }
        handle = s
    }
    func wait() throws { try check(dnnl_stream_wait(handle), "dnnl_stream_wait") }
    deinit { dnnl_stream_destroy(handle) }
}

/// f32 memory descriptor from logical dims and a format tag (dnnl_format_tag_any allowed).
func memoryDesc(_ dims: [Int64], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    try check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims, dnnl_f32, tag),
              "dnnl_memory_desc_init_by_tag(\(dims))")
    return md
}

final class Memory {
    let handle: dnnl_memory_t
    /// `data == nil` lets oneDNN allocate (and own) the buffer; otherwise the caller's
    /// buffer is wrapped and must outlive this object.
    init(_ desc: dnnl_memory_desc_t, _ engine: Engine, data: UnsafeMutableRawPointer? = nil) throws {
        var md = desc
        var m: dnnl_memory_t?
        try check(dnnl_memory_create(&m, &md, engine.handle, data ?? cdnnl_memory_allocate()),
                  "dnnl_memory_create")
        guard let m else { throw BenchError("dnnl_memory_create returned no memory") }
        handle = m
    }
    var desc: dnnl_memory_desc_t {
        get throws {
            var p: UnsafePointer<dnnl_memory_desc_t>?
            try check(dnnl_memory_get_memory_desc(handle, &p), "dnnl_memory_get_memory_desc")
            guard let p else { throw BenchError("dnnl_memory_get_memory_desc returned NULL") }
            return p.pointee
        }
    }
    var data: UnsafeMutableRawPointer {
        get throws {
            var p: UnsafeMutableRawPointer?
            try check(dnnl_memory_get_data_handle(handle, &p), "dnnl_memory_get_data_handle")
            guard let p else { throw BenchError("memory has no data handle") }
            return p
        }
    }
    deinit { dnnl_memory_destroy(handle) }
}

final class PrimitiveDesc {
    let handle: dnnl_primitive_desc_t
    /// `opDesc` points at a filled dnnl_*_desc_t (e.g. from dnnl_matmul_desc_init).
    init(opDesc: UnsafeRawPointer, attr: dnnl_primitive_attr_t? = nil, _ engine: Engine, what: String) throws {
        var pd: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&pd, opDesc, attr, engine.handle, nil),
                  "dnnl_primitive_desc_create(\(what))")
        guard let pd else { throw BenchError("dnnl_primitive_desc_create(\(what)) returned NULL") }
        handle = pd
    }
    init(reorderFrom src: dnnl_memory_desc_t, to dst: dnnl_memory_desc_t, _ engine: Engine) throws {
        var s = src, d = dst
        var pd: dnnl_primitive_desc_t?
        try check(dnnl_reorder_primitive_desc_create(&pd, &s, engine.handle, &d, engine.handle, nil),
                  "dnnl_reorder_primitive_desc_create")
        guard let pd else { throw BenchError("dnnl_reorder_primitive_desc_create returned NULL") }
        handle = pd
    }
    /// Implementation oneDNN dispatched to, e.g. "brg:avx512_core" or "jit:avx512_core".
    var implInfo: String {
        get throws {
            var s: UnsafePointer<CChar>?
            try check(dnnl_primitive_desc_query(handle, dnnl_query_impl_info_str, 0, &s),
                      "dnnl_primitive_desc_query(impl_info_str)")
            return s.map { String(cString: $0) } ?? "?"
        }
    }
    /// Memory descriptor the implementation expects, e.g. dnnl_query_src_md / weights_md / dst_md.
    func md(_ what: dnnl_query_t, _ index: Int32 = 0) throws -> dnnl_memory_desc_t {
        guard let p = dnnl_primitive_desc_query_md(handle, what, index) else {
            throw BenchError("dnnl_primitive_desc_query_md(\(what.rawValue)) returned NULL")
        }
        return p.pointee
    }
    deinit { dnnl_primitive_desc_destroy(handle) }
}

final class Primitive {
    let handle: dnnl_primitive_t
    init(_ pd: PrimitiveDesc, what: String) throws {
        var p: dnnl_primitive_t?
        try check(dnnl_primitive_create(&p, pd.handle), "dnnl_primitive_create(\(what))")
        guard let p else { throw BenchError("dnnl_primitive_create(\(what)) returned NULL") }
        handle = p
    }
    /// Executes and waits; `args` are (DNNL_ARG_* index, memory) pairs.
    func execute(_ stream: Stream, _ args: [(Int32, Memory)]) throws {
        let execArgs = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        try check(dnnl_primitive_execute(handle, stream.handle, Int32(execArgs.count), execArgs),
                  "dnnl_primitive_execute")
        try stream.wait()
    }
    deinit { dnnl_primitive_destroy(handle) }
}

/// One-off copy between layouts (done outside timed loops).
func reorder(_ src: Memory, _ dst: Memory, _ engine: Engine, _ stream: Stream) throws {
    let pd = try PrimitiveDesc(reorderFrom: src.desc, to: dst.desc, engine)
    let prim = try Primitive(pd, what: "reorder")
    try prim.execute(stream, [(Arg.from, src), (Arg.to, dst)])
}

/// oneDNN-style tag for a blocked layout ("abcd", "aBcd16b", "ABcd16b16a", ...); plain
/// dims are lettered a, b, ... in logical order, outer order follows the strides.
func layoutName(_ md: dnnl_memory_desc_t) -> String {
    guard md.format_kind == dnnl_blocked else {
        return String(cString: dnnl_fmt_kind2str(md.format_kind))
    }
    let n = Int(md.ndims)
    let blk = md.format_desc.blocking
    let strides = withUnsafeBytes(of: blk.strides) { Array($0.bindMemory(to: Int64.self).prefix(n)) }
    let nInner = Int(blk.inner_nblks)
    let innerBlks = withUnsafeBytes(of: blk.inner_blks) { Array($0.bindMemory(to: Int64.self).prefix(nInner)) }
    let innerIdxs = withUnsafeBytes(of: blk.inner_idxs) { Array($0.bindMemory(to: Int64.self).prefix(nInner)) }
    let letters = Array("abcdefghijkl")
    let blocked = Set(innerIdxs.map(Int.init))
    let order = (0..<n).sorted { strides[$0] != strides[$1] ? strides[$0] > strides[$1] : $0 < $1 }
    var s = order.map { blocked.contains($0) ? String(letters[$0]).uppercased() : String(letters[$0]) }.joined()
    for (b, i) in zip(innerBlks, innerIdxs) { s += "\(b)\(letters[Int(i)])" }
    return s
}
