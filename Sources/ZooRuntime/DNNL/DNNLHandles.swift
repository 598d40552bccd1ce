// Handle-owning wrappers over the oneDNN 2.6 C API. Every status is checked and becomes a
// RuntimeError naming the node being compiled and the failing call.
import CDNNL

/// Turns a oneDNN status into a thrown error naming `node` and the C call.
@inline(__always)
func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String, node: String) throws(RuntimeError) {
    guard status == dnnl_success else {
        throw .dnnl(node: node, call: call(), status: String(cString: dnnl_status2str(status)))
    }
}

/// The CPU engine. One per process: oneDNN engines are thread-safe and cheap to share.
final class DNNLEngine: @unchecked Sendable {
    let handle: dnnl_engine_t

    static let shared: Result<DNNLEngine, RuntimeError> = Result { () throws(RuntimeError) in try DNNLEngine() }

    private init() throws(RuntimeError) {
        var engine: dnnl_engine_t?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create", node: "")
        guard let engine else { throw .dnnl(node: "", call: "dnnl_engine_create", status: "no engine") }
        handle = engine
    }

    deinit { dnnl_engine_destroy(handle) }
}

/// An execution stream. Not shared between threads: each run context owns one.
final class DNNLStream {
    let handle: dnnl_stream_t

    init(_ engine: DNNLEngine) throws(RuntimeError) {
        var stream: dnnl_stream_t?
        try check(dnnl_stream_create(&stream, engine.handle, dnnl_stream_default_flags.rawValue),
                  "dnnl_stream_create", node: "")
        guard let stream else { throw .dnnl(node: "", call: "dnnl_stream_create", status: "no stream") }
        handle = stream
    }

    deinit { dnnl_stream_destroy(handle) }
}

/// A memory object over a caller-owned buffer (or one oneDNN allocates when `data` is nil).
final class DNNLMemory: @unchecked Sendable {
    let handle: dnnl_memory_t

    init(_ descriptor: dnnl_memory_desc_t, _ engine: DNNLEngine, data: UnsafeMutableRawPointer?, node: String)
        throws(RuntimeError)
    {
        var descriptor = descriptor
        var memory: dnnl_memory_t?
        try check(dnnl_memory_create(&memory, &descriptor, engine.handle, data ?? cdnnl_memory_allocate()),
                  "dnnl_memory_create", node: node)
        guard let memory else { throw .dnnl(node: node, call: "dnnl_memory_create", status: "no memory") }
        handle = memory
    }

    var data: UnsafeMutableRawPointer? {
        var pointer: UnsafeMutableRawPointer?
        dnnl_memory_get_data_handle(handle, &pointer)
        return pointer
    }

    /// Points this memory at another buffer; only for memories owned by one run context.
    func setData(_ pointer: UnsafeRawPointer) {
        dnnl_memory_set_data_handle(handle, UnsafeMutableRawPointer(mutating: pointer))
    }

    deinit { dnnl_memory_destroy(handle) }
}

/// Primitive attributes: post-ops, output scales, and user-managed scratchpad (so that
/// concurrent runs each use their own scratch memory from their own arena).
final class DNNLAttributes {
    let handle: dnnl_primitive_attr_t
    private let postOps: dnnl_post_ops_t

    init(node: String) throws(RuntimeError) {
        var attributes: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create", node: node)
        var postOps: dnnl_post_ops_t?
        try check(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create", node: node)
        guard let attributes, let postOps else {
            throw .dnnl(node: node, call: "dnnl_primitive_attr_create", status: "no attributes")
        }
        handle = attributes
        self.postOps = postOps
        try check(dnnl_primitive_attr_set_scratchpad_mode(handle, dnnl_scratchpad_mode_user),
                  "dnnl_primitive_attr_set_scratchpad_mode", node: node)
    }

    func appendEltwise(_ algorithm: dnnl_alg_kind_t, alpha: Float = 0, beta: Float = 0, node: String) throws(RuntimeError) {
        try check(dnnl_post_ops_append_eltwise(postOps, 1, algorithm, alpha, beta),
                  "dnnl_post_ops_append_eltwise", node: node)
        try check(dnnl_primitive_attr_set_post_ops(handle, postOps), "dnnl_primitive_attr_set_post_ops", node: node)
    }

    func appendBinaryAdd(_ operand: dnnl_memory_desc_t, node: String) throws(RuntimeError) {
        var operand = operand
        try check(dnnl_post_ops_append_binary(postOps, dnnl_binary_add, &operand),
                  "dnnl_post_ops_append_binary", node: node)
        try check(dnnl_primitive_attr_set_post_ops(handle, postOps), "dnnl_primitive_attr_set_post_ops", node: node)
    }

    func setOutputScale(_ scale: Float, node: String) throws(RuntimeError) {
        var scale = scale
        try check(dnnl_primitive_attr_set_output_scales(handle, 1, 0, &scale),
                  "dnnl_primitive_attr_set_output_scales", node: node)
    }

    var postOpCount: Int { Int(dnnl_post_ops_len(postOps)) }

    deinit {
        dnnl_post_ops_destroy(postOps)
        dnnl_primitive_attr_destroy(handle)
    }
}

/// A primitive descriptor: what oneDNN chose for one operation and shape.
final class DNNLPrimitiveDescriptor {
    let handle: dnnl_primitive_desc_t

    init(operation: UnsafeRawPointer, attributes: DNNLAttributes?, _ engine: DNNLEngine, node: String)
        throws(RuntimeError)
    {
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&descriptor, operation, attributes?.handle, engine.handle, nil),
                  "dnnl_primitive_desc_create", node: node)
        guard let descriptor else { throw .dnnl(node: node, call: "dnnl_primitive_desc_create", status: "NULL") }
        handle = descriptor
    }

    init(reorderFrom source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t, attributes: DNNLAttributes?,
         _ engine: DNNLEngine, node: String) throws(RuntimeError)
    {
        var source = source, destination = destination
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_reorder_primitive_desc_create(&descriptor, &source, engine.handle, &destination, engine.handle,
                                                     attributes?.handle),
                  "dnnl_reorder_primitive_desc_create", node: node)
        guard let descriptor else { throw .dnnl(node: node, call: "dnnl_reorder_primitive_desc_create", status: "NULL") }
        handle = descriptor
    }

    /// A memory descriptor the implementation expects (dnnl_query_src_md, weights_md, ...).
    func memoryDescriptor(_ query: dnnl_query_t, index: Int32 = 0) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(handle, query, index).pointee
    }

    /// Bytes of scratch memory the primitive needs per execution.
    var scratchpadByteCount: Int {
        var descriptor = memoryDescriptor(dnnl_query_scratchpad_md)
        return dnnl_memory_desc_get_size(&descriptor)
    }

    /// The implementation oneDNN dispatched to, e.g. "brgconv:avx512_core".
    var implementation: String {
        var name: UnsafePointer<CChar>?
        dnnl_primitive_desc_query(handle, dnnl_query_impl_info_str, 0, &name)
        return name.map { String(cString: $0) } ?? "?"
    }

    deinit { dnnl_primitive_desc_destroy(handle) }
}

/// A compiled primitive. oneDNN primitives are immutable and may execute concurrently with
/// different memory, which is what makes a Session shareable between threads.
final class DNNLPrimitive: @unchecked Sendable {
    let handle: dnnl_primitive_t
    let implementation: String
    let scratchpadByteCount: Int

    init(_ descriptor: DNNLPrimitiveDescriptor, node: String) throws(RuntimeError) {
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor.handle), "dnnl_primitive_create", node: node)
        guard let primitive else { throw .dnnl(node: node, call: "dnnl_primitive_create", status: "NULL") }
        handle = primitive
        implementation = descriptor.implementation
        scratchpadByteCount = descriptor.scratchpadByteCount
    }

    /// Runs on `stream` and waits; `arguments` pair DNNL_ARG_* indices with memories.
    func execute(_ stream: DNNLStream, _ arguments: [dnnl_exec_arg_t], node: String) throws(RuntimeError) {
        try check(dnnl_primitive_execute(handle, stream.handle, Int32(arguments.count), arguments),
                  "dnnl_primitive_execute", node: node)
        try check(dnnl_stream_wait(stream.handle), "dnnl_stream_wait", node: node)
    }

    deinit { dnnl_primitive_destroy(handle) }
}

/// DNNL_ARG_* indices (the header's macros import as Int32 constants or not at all).
enum DNNLArgument {
    static let source = Int32(DNNL_ARG_SRC)
    static let weights = Int32(DNNL_ARG_WEIGHTS)
    static let bias = Int32(DNNL_ARG_BIAS)
    static let destination = Int32(DNNL_ARG_DST)
    static let from = Int32(DNNL_ARG_FROM)
    static let to = Int32(DNNL_ARG_TO)
    static let scratchpad = Int32(DNNL_ARG_SCRATCHPAD)

    /// The operand of post-op `index` (DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1).
    static func postOpOperand(_ index: Int) -> Int32 {
        Int32(DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE) * Int32(index + 1) | Int32(DNNL_ARG_SRC_1)
    }
}

/// An f32 memory descriptor from logical dims and a format tag (`dnnl_format_tag_any` allowed).
func memoryDescriptor(_ dims: [Int], _ tag: dnnl_format_tag_t, node: String) throws(RuntimeError) -> dnnl_memory_desc_t {
    var descriptor = dnnl_memory_desc_t()
    let dims64 = dims.map(Int64.init)
    try check(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), dims64, dnnl_f32, tag),
              "dnnl_memory_desc_init_by_tag(\(dims))", node: node)
    return descriptor
}

/// An f32 memory descriptor with explicit element strides (transposed views for Gemm).
func memoryDescriptor(_ dims: [Int], strides: [Int], node: String) throws(RuntimeError) -> dnnl_memory_desc_t {
    var descriptor = dnnl_memory_desc_t()
    try check(dnnl_memory_desc_init_by_strides(&descriptor, Int32(dims.count), dims.map(Int64.init),
                                               dnnl_f32, strides.map(Int64.init)),
              "dnnl_memory_desc_init_by_strides(\(dims), \(strides))", node: node)
    return descriptor
}

/// The plain row-major format tag for `rank` dims (a, ab, abc, ...).
func plainTag(rank: Int) -> dnnl_format_tag_t {
    [dnnl_a, dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef][rank]
}

func sameLayout(_ left: dnnl_memory_desc_t, _ right: dnnl_memory_desc_t) -> Bool {
    var left = left, right = right
    return dnnl_memory_desc_equal(&left, &right) != 0
}

/// A dnnl_dims_t-sized array: the C API reads 12 int64 for `const dnnl_dims_t`.
func dims12(_ values: [Int]) -> [Int64] {
    values.map(Int64.init) + Array(repeating: 0, count: 12 - values.count)
}

/// Calls `body` with a pointer to the optional's value, or nil when it has none (optional
/// operands such as a bias descriptor).
func withOptionalPointer<Value, Result>(
    to value: inout Value?, _ body: (UnsafeMutablePointer<Value>?) throws(RuntimeError) -> Result
) throws(RuntimeError) -> Result {
    guard var unwrapped = value else { return try body(nil) }
    defer { value = unwrapped }
    return try withUnsafeMutablePointer(to: &unwrapped) { pointer throws(RuntimeError) in try body(pointer) }
}

extension dnnl_memory_desc_t {
    /// Bytes a buffer in this layout takes (blocked layouts pad channels to the block).
    var byteCount: Int {
        var descriptor = self
        return dnnl_memory_desc_get_size(&descriptor)
    }
}
