import CDNNL

/// A layout change between a plain tensor and the blocked layout a primitive chose
/// (e.g. NCHW ↔ NHWC or nChw16c), compiled once per plan.
struct DNNLReorder: @unchecked Sendable {
    let call: DNNLCall
    let source: dnnl_memory_desc_t
    let destination: dnnl_memory_desc_t

    /// nil when the layouts already agree.
    init?(from source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t, node: String) throws(RuntimeError) {
        guard !sameLayout(source, destination) else { return nil }
        let engine = try DNNLEngine.shared.get()
        let singleThreaded = SmallWork.isSmall([source.byteCount / 4])
        let primitive = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try DNNLPrimitive(try DNNLPrimitiveDescriptor(reorderFrom: source, to: destination, attributes: nil, engine, node: node),
                              node: node)
        }
        call = DNNLCall(node: node, primitive: primitive, fixedOperands: [], singleThreaded: singleThreaded)
        self.source = source
        self.destination = destination
    }

    func execute(from input: UnsafeRawPointer, to output: UnsafeRawPointer, _ io: KernelIO) throws(RuntimeError) {
        try call.execute([(DNNLArgument.from, source, input), (DNNLArgument.to, destination, output)], io)
    }

    var byteCount: Int { destination.byteCount }
}
