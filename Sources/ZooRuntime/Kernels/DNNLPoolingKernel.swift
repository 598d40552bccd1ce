import CDNNL
import ZooGraph

/// MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool through oneDNN's pooling
/// primitive: on channels-last activations, so a chain of convolutions stays NHWC through
/// its pools, and on plain 1-D to 3-D activations (NCW, NCHW, NCDHW) for the pools
/// PoolingKernel hands over. The channels-last pass and PoolingKernel only send pools here
/// whose ONNX meaning oneDNN has. Plain activations are reordered, in scratch, into a
/// blocked layout and back: on plain NCDHW oneDNN 2.6 picks a slow generic loop.
struct DNNLPoolingKernel: Kernel {
    /// nil for a kernel that only reports shapes (while folding constants).
    let primitive: BlockedPrimitive?

    var scratchByteCount: Int { primitive?.scratchByteCount ?? 0 }

    static func prepare(_ context: KernelContext, _ attributes: PoolAttributes, isMax: Bool) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        let geometry = try SpatialGeometry(
            input: Array(input.shape[2...]), kernel: attributes.kernelShape, strides: attributes.strides,
            pads: attributes.pads, dilations: isMax ? attributes.dilations : nil, autoPad: attributes.autoPad,
            ceilMode: attributes.ceilMode, context)
        let algorithm = isMax ? dnnl_pooling_max
                              : attributes.countIncludePad ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding
        return try prepare(context, input: input, geometry: geometry, algorithm: algorithm)
    }

    static func prepareGlobal(_ context: KernelContext, isMax: Bool) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        let spatial = Array(input.shape[2...])
        let geometry = try SpatialGeometry(input: spatial, kernel: spatial, strides: nil, pads: nil, dilations: nil,
                                           autoPad: .notSet, ceilMode: false, context)
        return try prepare(context, input: input, geometry: geometry, algorithm: isMax ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding)
    }

    private static func prepare(_ context: KernelContext, input: ValueType, geometry: SpatialGeometry,
                                algorithm: dnnl_alg_kind_t) throws(RuntimeError) -> PreparedKernel {
        let outputShape = Array(input.shape[..<2]) + geometry.output
        let outputs = [ValueType(.float32, outputShape)]
        try context.requireAllocatable(outputs[0], value: context.node.outputs[0])
        guard context.compilesPrimitives else {
            return PreparedKernel(kernel: DNNLPoolingKernel(primitive: nil), outputTypes: outputs)
        }
        let name = context.node.name
        let storedTag = context.node.layout == .channelsLast ? dnnl_acdb : plainTag(rank: input.rank)
        // Plain activations are pooled in blocks of 16 channels (nCdhw16c): reordering into
        // them is cheaper than into channels-last.
        let primitiveTag = context.node.layout == .channelsLast ? dnnl_acdb : [dnnl_aBc16b, dnnl_aBcd16b, dnnl_aBcde16b][input.rank - 3]
        var source = try memoryDescriptor(input.shape, primitiveTag, node: name)
        var destination = try memoryDescriptor(outputShape, primitiveTag, node: name)
        // oneDNN wants the end padding that makes its own output-size formula give the ONNX
        // size; with ceil_mode that is more than the declared pads (the extra never counts:
        // max ignores it, and the pass sends no include-padding average with ceil_mode here).
        let padsEnd = geometry.input.indices.map { axis in
            let window = geometry.dilations[axis] * (geometry.kernel[axis] - 1) + 1
            return (geometry.output[axis] - 1) * geometry.strides[axis] + window - geometry.input[axis] - geometry.padsBegin[axis]
        }
        var operation = dnnl_pooling_v2_desc_t()
        try check(dnnl_pooling_v2_forward_desc_init(
            &operation, dnnl_forward_inference, algorithm, &source, &destination, dims12(geometry.strides),
            dims12(geometry.kernel), dims12(geometry.dilations.map { $0 - 1 }), dims12(geometry.padsBegin), dims12(padsEnd)),
            "dnnl_pooling_v2_forward_desc_init", node: name)
        let engine = try DNNLEngine.shared.get()
        let singleThreaded = SmallWork.isSmall(outputShape + geometry.kernel)
        let primitive = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try DNNLPrimitive(try DNNLPrimitiveDescriptor(operation: &operation, attributes: try DNNLAttributes(node: name),
                                                          engine, node: name), node: name)
        }
        let call = DNNLCall(node: name, primitive: primitive, fixedOperands: [], singleThreaded: singleThreaded)
        let kernel = DNNLPoolingKernel(primitive: try BlockedPrimitive(
            call: call, source: source, destination: destination, storedSource: try memoryDescriptor(input.shape, storedTag, node: name),
            storedDestination: try memoryDescriptor(outputShape, storedTag, node: name), node: name))
        return PreparedKernel(kernel: kernel, outputTypes: outputs)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        try primitive?.execute(io)
    }
}
