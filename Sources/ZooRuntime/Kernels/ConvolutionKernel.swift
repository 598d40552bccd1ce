import CDNNL
import ZooGraph
import ZooTensor

/// Conv through oneDNN's convolution_forward: any group count, dilation, asymmetric or
/// automatic pads, 1-D to 3-D. Constant weights are reordered once, here, into the layout
/// the chosen implementation wants; bias and the fused epilogue (ReLU, GELU, residual
/// Add) run inside the primitive as post-ops. Rank-4 activations are normally stored
/// channels-last (NHWC) between nodes, which the primitive reads and writes directly (see
/// ChannelsLastLayout). Plain NCHW activations (other ranks, or with that pass off) would
/// send oneDNN to its slow im2col path, so the primitive runs in the layout oneDNN picks
/// and reorders at the kernel's edges convert, in scratch. A one-channel input goes to
/// SingleChannelConvolutionKernel instead where it applies.
struct ConvolutionKernel: Kernel {
    /// nil for a kernel that only reports shapes (while folding constants).
    let primitive: BlockedPrimitive?
    let weightsDescriptor: dnnl_memory_desc_t?
    let biasDescriptor: dnnl_memory_desc_t?
    let epilogueOperands: [(argument: Int32, descriptor: dnnl_memory_desc_t)]
    let operandCount: Int

    var scratchByteCount: Int { primitive?.scratchByteCount ?? 0 }

    static func prepare(_ context: KernelContext, _ attributes: ConvAttributes) throws(RuntimeError) -> PreparedKernel {
        let input = try context.floatType(0), weight = try context.floatType(1)
        let name = context.node.name
        guard (3...5).contains(input.rank), weight.rank == input.rank else {
            throw context.fail("input \(input) and weight \(weight) must both have rank 3 to 5")
        }
        let group = attributes.group
        let (channels, filters) = (input.shape[1], weight.shape[0])
        guard group >= 1, filters % group == 0, channels == weight.shape[1] * group else {
            throw context.fail("input \(input) does not fit weight \(weight) with group \(group)")
        }
        let kernelShape = Array(weight.shape[2...])
        if let declared = attributes.kernelShape, declared != kernelShape {
            throw context.fail("kernel_shape \(declared) differs from the weight's \(kernelShape)")
        }
        let geometry = try SpatialGeometry(
            input: Array(input.shape[2...]), kernel: kernelShape, strides: attributes.strides, pads: attributes.pads,
            dilations: attributes.dilations, autoPad: attributes.autoPad, ceilMode: false, context)
        let outputShape = [input.shape[0], filters] + geometry.output
        let outputs = [ValueType(.float32, outputShape)]
        try context.requireAllocatable(outputs[0], value: context.node.outputs[0])
        if let bias = context.optionalType(2), bias.shape != [filters] {
            throw context.fail("bias must be [\(filters)], got \(bias)")
        }
        guard context.compilesPrimitives else {
            return PreparedKernel(kernel: ConvolutionKernel(placeholderFor: context), outputTypes: outputs)
        }
        if let direct = try SingleChannelConvolutionKernel.make(context, attributes, geometry: geometry, output: outputs[0]) {
            return PreparedKernel(kernel: direct, outputTypes: outputs)
        }

        let groupedWeightShape = group == 1 ? weight.shape : [group, filters / group] + Array(weight.shape[1...])
        let plainWeights = try memoryDescriptor(groupedWeightShape, plainTag(rank: groupedWeightShape.count), node: name)
        return try compile(context, input: input, outputShape: outputShape, weightShape: groupedWeightShape,
                           plainWeights: plainWeights) { source, weights, bias, destination throws(RuntimeError) in
            var operation = dnnl_convolution_desc_t()
            try check(dnnl_dilated_convolution_forward_desc_init(
                &operation, dnnl_forward_inference, dnnl_convolution_direct, source, weights, bias, destination,
                dims12(geometry.strides), dims12(geometry.dilations.map { $0 - 1 }), dims12(geometry.padsBegin),
                dims12(geometry.padsEnd)), "dnnl_dilated_convolution_forward_desc_init", node: name)
            return operation
        }
    }

    /// Builds the oneDNN primitive that `describe` initialises from the source, weights,
    /// optional bias and destination descriptors (a convolution or a deconvolution, both
    /// described by a `dnnl_convolution_desc_t`), packs constant weights and bias, and adds
    /// the reorders between the stored layout and the primitive's. `weightShape` is the
    /// weight's logical oneDNN shape (groups first when grouped), `plainWeights` how the
    /// ONNX weight lies in memory.
    static func compile(
        _ context: KernelContext, input: ValueType, outputShape: [Int], weightShape: [Int], plainWeights: dnnl_memory_desc_t,
        describe: (UnsafePointer<dnnl_memory_desc_t>, UnsafePointer<dnnl_memory_desc_t>, UnsafePointer<dnnl_memory_desc_t>?,
                   UnsafePointer<dnnl_memory_desc_t>) throws(RuntimeError) -> dnnl_convolution_desc_t
    ) throws(RuntimeError) -> PreparedKernel {
        let name = context.node.name
        let filters = outputShape[1]
        let channelsLast = context.node.layout == .channelsLast
        let storedTag = channelsLast ? dnnl_acdb : plainTag(rank: input.rank)
        let storedSource = try memoryDescriptor(input.shape, storedTag, node: name)
        let storedDestination = try memoryDescriptor(outputShape, storedTag, node: name)
        let primitiveTag = channelsLast ? dnnl_acdb : dnnl_format_tag_any
        let constantWeights = context.constant(1)
        var weights = constantWeights == nil ? plainWeights : try memoryDescriptor(weightShape, dnnl_format_tag_any, node: name)
        var bias = context.optionalType(2) == nil ? nil : try memoryDescriptor([filters], dnnl_a, node: name)
        var sourceCopy = try memoryDescriptor(input.shape, primitiveTag, node: name)
        var destinationCopy = try memoryDescriptor(outputShape, primitiveTag, node: name)
        var operation = try withOptionalPointer(to: &bias) { biasPointer throws(RuntimeError) in
            try describe(&sourceCopy, &weights, biasPointer.map { UnsafePointer($0) }, &destinationCopy)
        }
        let (postOps, epilogue) = try context.postOpAttributes(outputShape: outputShape, primitiveShape: outputShape,
                                                               operandTag: storedTag)
        let engine = try DNNLEngine.shared.get()
        let singleThreaded = SmallWork.isSmall(outputShape + weightShape.suffix(input.rank - 1))
        let descriptor = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try DNNLPrimitiveDescriptor(operation: &operation, attributes: postOps, engine, node: name)
        }
        var fixed: [(Int32, DNNLMemory)] = []
        if let constantWeights {
            let chosen = descriptor.memoryDescriptor(dnnl_query_weights_md)
            fixed.append((DNNLArgument.weights, try DNNLConstants.pack(constantWeights, source: plainWeights, into: chosen, node: name)))
        }
        if let constantBias = context.constant(2) {
            fixed.append((DNNLArgument.bias, try DNNLConstants.pack(constantBias, source: bias!, into: bias!, node: name)))
        }
        // Created under the thread count its descriptor saw: oneDNN sizes per-thread
        // buffers from the count at each step, and a mismatch crashed in its JIT.
        let primitive = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try DNNLPrimitive(descriptor, node: name)
        }
        let call = DNNLCall(node: name, primitive: primitive, fixedOperands: fixed, singleThreaded: singleThreaded)
        let source = descriptor.memoryDescriptor(dnnl_query_src_md)
        let destination = descriptor.memoryDescriptor(dnnl_query_dst_md)
        let kernel = ConvolutionKernel(
            primitive: try BlockedPrimitive(call: call, source: source, destination: destination, storedSource: storedSource,
                                            storedDestination: storedDestination, node: name),
            weightsDescriptor: constantWeights == nil ? plainWeights : nil,
            biasDescriptor: context.constant(2) == nil ? bias : nil,
            epilogueOperands: epilogue.map { (DNNLArgument.postOpOperand($0.postOpIndex), $0.descriptor) },
            operandCount: context.node.inputs.count)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, outputShape)],
                              packedInputs: [1, 2].filter { context.constant($0) != nil })
    }

    /// A kernel that only reports shapes (while folding constants); never run.
    init(placeholderFor context: KernelContext) {
        primitive = nil
        weightsDescriptor = nil
        biasDescriptor = nil
        epilogueOperands = []
        operandCount = 0
    }

    private init(primitive: BlockedPrimitive, weightsDescriptor: dnnl_memory_desc_t?, biasDescriptor: dnnl_memory_desc_t?,
                 epilogueOperands: [(argument: Int32, descriptor: dnnl_memory_desc_t)], operandCount: Int) {
        self.primitive = primitive
        self.weightsDescriptor = weightsDescriptor
        self.biasDescriptor = biasDescriptor
        self.epilogueOperands = epilogueOperands
        self.operandCount = operandCount
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let primitive else { return }
        var operands: [(argument: Int32, descriptor: dnnl_memory_desc_t, address: UnsafeRawPointer)] = []
        if let weightsDescriptor { operands.append((DNNLArgument.weights, weightsDescriptor, io.input(1))) }
        if let biasDescriptor { operands.append((DNNLArgument.bias, biasDescriptor, io.input(2))) }
        for (index, operand) in epilogueOperands.enumerated() {
            operands.append((operand.argument, operand.descriptor, io.input(operandCount + index)))
        }
        try primitive.execute(io, operands: operands)
    }
}
