import CDNNL
import ZooGraph
import ZooTensor

/// ConvTranspose through oneDNN's deconvolution_forward (1-D to 3-D, groups, dilations),
/// assembled like Conv (ConvolutionKernel.compile): constant weights packed once, the
/// primitive run in the layout oneDNN picks with reorders at the edges. ONNX's weight
/// `[C_in, C_out/group, kernel...]` is oneDNN's `[group, C_out/group, C_in/group, kernel...]`
/// read with strides. output_padding and a larger output_shape become negative end
/// padding, which oneDNN's deconvolution takes.
enum ConvTransposeKernel {
    static func prepare(_ context: KernelContext, _ attributes: ConvTransposeAttributes) throws(RuntimeError) -> PreparedKernel {
        let input = try context.floatType(0), weight = try context.floatType(1)
        let name = context.node.name
        guard (3...5).contains(input.rank), weight.rank == input.rank else {
            throw context.unsupported("only 1-D, 2-D and 3-D transposed convolutions (input \(input), weight \(weight))")
        }
        let group = attributes.group
        let channels = input.shape[1]
        guard group >= 1, channels % group == 0, weight.shape[0] == channels else {
            throw context.fail("input \(input) does not fit weight \(weight) with group \(group)")
        }
        let perGroupFilters = weight.shape[1]
        let filters = try context.checked("output channels") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.multiply(perGroupFilters, group)
        }
        let kernelShape = Array(weight.shape[2...])
        if let declared = attributes.kernelShape, declared != kernelShape {
            throw context.fail("kernel_shape \(declared) differs from the weight's \(kernelShape)")
        }
        if let bias = context.optionalType(2), bias.shape != [filters] {
            throw context.fail("bias must be [\(filters)], got \(bias)")
        }
        let geometry = try TransposedGeometry(input: Array(input.shape[2...]), kernel: kernelShape, attributes, context)
        let outputShape = [input.shape[0], filters] + geometry.output
        let outputs = [ValueType(.float32, outputShape)]
        try context.requireAllocatable(outputs[0], value: context.node.outputs[0])
        guard context.compilesPrimitives else {
            return PreparedKernel(kernel: ConvolutionKernel(placeholderFor: context), outputTypes: outputs)
        }
        // Logical oneDNN weights [group, C_out/g, C_in/g, kernel...] over the ONNX buffer.
        let perGroupChannels = channels / group, kernelSize = kernelShape.reduce(1, *)
        var logical = [perGroupFilters, perGroupChannels] + kernelShape
        var strides = [kernelSize, perGroupFilters * kernelSize] + StridedLayout.rowMajorStrides(kernelShape)
        if group > 1 {
            logical.insert(group, at: 0)
            strides.insert(perGroupChannels * perGroupFilters * kernelSize, at: 0)
        }
        let plainWeights = try memoryDescriptor(logical, strides: strides, node: name)
        return try ConvolutionKernel.compile(context, input: input, outputShape: outputShape, weightShape: logical,
                                             plainWeights: plainWeights) { source, weights, bias, destination throws(RuntimeError) in
            var operation = dnnl_convolution_desc_t()
            let status = dnnl_dilated_deconvolution_forward_desc_init(
                &operation, dnnl_forward_inference, dnnl_deconvolution_direct, source, weights, bias, destination,
                dims12(geometry.strides), dims12(geometry.dilations.map { $0 - 1 }), dims12(geometry.padsBegin),
                dims12(geometry.padsEnd))
            guard status == dnnl_success else {
                throw context.unsupported("oneDNN's deconvolution refuses strides \(geometry.strides), dilations \(geometry.dilations), pads \(geometry.padsBegin) and \(geometry.padsEnd) (status \(status.rawValue))")
            }
            return operation
        }
    }
}

/// ConvTranspose's spatial arithmetic: each output size `s·(n − 1) + output_padding +
/// d·(k − 1) + 1 − padBegin − padEnd`. With `output_shape` (or SAME auto-padding, whose
/// output is n·s) the total padding follows from the size and is split between the ends
/// as the ONNX specification says (SAME_UPPER: the larger half at the end). The end
/// padding returned has output_padding taken off, so it may be negative.
struct TransposedGeometry {
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var output: [Int]

    init(input: [Int], kernel: [Int], _ attributes: ConvTransposeAttributes, _ context: KernelContext) throws(RuntimeError) {
        let count = input.count
        strides = try context.spatialList(attributes.strides, "strides", count, 1, minimum: 1)
        dilations = try context.spatialList(attributes.dilations, "dilations", count, 1, minimum: 1)
        let pads = try context.spatialList(attributes.pads, "pads", 2 * count, 0, minimum: 0)
        let outputPadding = try context.spatialList(attributes.outputPadding, "output_padding", count, 0, minimum: 0)
        var requested = attributes.outputShape
        if let shape = requested, shape.count == count + 2 { requested = Array(shape.dropFirst(2)) }
        if let shape = requested { _ = try context.spatialList(shape, "output_shape", count, 1, minimum: 1) }
        padsBegin = []
        padsEnd = []
        output = []
        for axis in 0..<count {
            let described = "spatial axis \(axis) (size \(input[axis]), kernel \(kernel[axis]), stride \(strides[axis]), dilation \(dilations[axis]), output_padding \(outputPadding[axis]))"
            guard outputPadding[axis] < max(strides[axis], dilations[axis]) else {
                throw context.fail("\(described): output_padding must be less than the stride or the dilation")
            }
            let (stride, dilation) = (strides[axis], dilations[axis])
            // The output with no padding at all.
            let full = try context.checked(described) { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.sum([try CheckedArithmetic.multiply(stride, input[axis] - 1), outputPadding[axis],
                                           try CheckedArithmetic.multiply(dilation, kernel[axis] - 1), 1])
            }
            var target = requested?[axis]
            if target == nil, attributes.autoPad == .sameUpper || attributes.autoPad == .sameLower {
                target = try context.checked(described) { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.multiply(input[axis], stride)
                }
            }
            var (begin, end) = (pads[axis], pads[axis + count])
            if attributes.autoPad == .valid { (begin, end) = (0, 0) }
            if let target {
                let total = full - target
                let small = total >= 0 ? total / 2 : -((-total + 1) / 2)
                (begin, end) = attributes.autoPad == .sameUpper ? (small, total - small) : (total - small, small)
            }
            let size = full - begin - end
            guard size >= 1 else { throw context.fail("\(described): pads \(begin) and \(end) leave no output") }
            padsBegin.append(begin)
            padsEnd.append(end - outputPadding[axis])
            output.append(size)
        }
    }
}
