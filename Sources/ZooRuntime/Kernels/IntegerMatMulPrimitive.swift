import CDNNL
import ZooTensor

/// oneDNN's int8 matmul where the integer products map onto it: one `[rows, inner]` uint8 or
/// int8 A (its zero point one run-time value) times one `[inner, columns]` int8 B whose zero
/// point is zero (oneDNN takes no per-column or uint8 weights), accumulated in int32, on a
/// CPU with 8-bit dot-product instructions (VNNI). Other operands and CPUs go to
/// IntegerArithmetic's loops.
struct IntegerMatMulPrimitive: @unchecked Sendable {
    /// Whether oneDNN runs on VNNI (AVX-512 or AVX2 forms). Without it oneDNN multiplies
    /// uint8 by int8 with vpmaddubsw, whose int16 pair sums saturate: results would no longer
    /// be the exact int32 products ONNX defines.
    static let isExact: Bool = {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        return isa & dnnl_cpu_isa_avx512_core_vnni.rawValue & ~dnnl_cpu_isa_avx512_core.rawValue != 0
            || isa & dnnl_cpu_isa_avx2_vnni.rawValue & ~dnnl_cpu_isa_avx2.rawValue != 0
    }()

    let call: DNNLCall
    let source: dnnl_memory_desc_t, weights: dnnl_memory_desc_t, destination: dnnl_memory_desc_t
    let zeroPoint: dnnl_memory_desc_t?

    var scratchByteCount: Int { call.scratchByteCount }

    static func make(rows: Int, inner: Int, columns: Int, sourceType: DType, sourceHasZeroPoint: Bool,
                     node: String) throws(RuntimeError) -> IntegerMatMulPrimitive {
        var source = try descriptor([rows, inner], sourceType == .int8 ? dnnl_s8 : dnnl_u8, node: node)
        var weights = try descriptor([inner, columns], dnnl_s8, node: node)
        var destination = try descriptor([rows, columns], dnnl_s32, node: node)
        var operation = dnnl_matmul_desc_t()
        try check(dnnl_matmul_desc_init(&operation, &source, &weights, nil, &destination), "dnnl_matmul_desc_init", node: node)
        let attributes = try DNNLAttributes(node: node)
        if sourceHasZeroPoint {
            var runtime = Int32.min  // DNNL_RUNTIME_S32_VAL: the value comes with each execution
            try check(dnnl_primitive_attr_set_zero_points(attributes.handle, DNNL_ARG_SRC, 1, 0, &runtime),
                      "dnnl_primitive_attr_set_zero_points", node: node)
        }
        let engine = try DNNLEngine.shared.get()
        let singleThreaded = SmallWork.isSmall([rows, inner, columns])
        let primitive = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            let descriptor = try DNNLPrimitiveDescriptor(operation: &operation, attributes: attributes, engine, node: node)
            return try DNNLPrimitive(descriptor, node: node)
        }
        return IntegerMatMulPrimitive(
            call: DNNLCall(node: node, primitive: primitive, fixedOperands: [], singleThreaded: singleThreaded),
            source: source, weights: weights, destination: destination,
            zeroPoint: sourceHasZeroPoint ? try descriptor([1], dnnl_s32, node: node) : nil)
    }

    private static func descriptor(_ dims: [Int], _ type: dnnl_data_type_t, node: String) throws(RuntimeError) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        try check(dnnl_memory_desc_init_by_strides(&descriptor, Int32(dims.count), dims.map(Int64.init), type,
                                                   StridedLayout.rowMajorStrides(dims).map(Int64.init)),
                  "dnnl_memory_desc_init_by_strides(\(dims))", node: node)
        return descriptor
    }

    /// `c = (a − zeroPoint) · b`; the scratchpad starts `scratchOffset` bytes into io's scratch.
    func execute(a: UnsafeRawPointer, b: UnsafeRawPointer, c: UnsafeMutablePointer<Int32>, zeroPoint: UnsafePointer<Int32>,
                 _ io: KernelIO, scratchOffset: Int) throws(RuntimeError) {
        var operands = [(argument: DNNLArgument.source, descriptor: source, address: a),
                        (argument: DNNLArgument.weights, descriptor: weights, address: b),
                        (argument: DNNLArgument.destination, descriptor: destination, address: UnsafeRawPointer(c))]
        if let descriptor = self.zeroPoint {
            operands.append((Int32(DNNL_ARG_ATTR_ZERO_POINTS) | DNNLArgument.source, descriptor, UnsafeRawPointer(zeroPoint)))
        }
        try call.execute(operands, io, scratchOffset: scratchOffset)
    }
}
