import ZooGraph
import ZooTensor

/// ConvInteger (int32 convolution of `x − x_zp` by `w − w_zp`) and QLinearConv (the same
/// plus an int32 bias, requantized to y's scale and zero point), 1-D to 3-D, any group,
/// stride, dilation and padding (padding contributes zero after the shift, as in ONNX's
/// reference and onnxruntime). w's zero point and QLinearConv's w scale are a scalar or one
/// per output channel. Per image and group the shifted input is unfolded (im2col) into
/// scratch and multiplied by the shifted weights in Int32 (IntegerArithmetic); where the
/// product maps onto oneDNN's int8 matmul (int8 weights with zero point 0, on a CPU with
/// VNNI) the unfolded input, transposed, is multiplied there instead (IntegerConvolutionKernel+DNNL.swift).
struct IntegerConvolutionKernel: Kernel {
    let requantized: Bool
    let inputType: DType, weightType: DType, outputType: DType
    let batch: Int, channels: Int, filters: Int, group: Int
    /// Spatial sizes padded to three axes (depth, height, width) with size-1 axes in front.
    let input: [Int], kernel: [Int], output: [Int], strides: [Int], dilations: [Int], padsBegin: [Int]
    let weightZeroLayout: IntegerArithmetic.ZeroPointLayout
    let parameterTypes: [DType?]
    let weightScaleCount: Int
    let threads: Int
    let node: String
    /// oneDNN's product `unfolded input ᵀ [positions × taps] · weights ᵀ [taps × group filters]`, where it applies.
    let primitive: IntegerMatMulPrimitive?

    var weightIndex: Int { requantized ? 3 : 1 }
    var inputSpatial: Int { input.reduce(1, *) }
    var kernelArea: Int { kernel.reduce(1, *) }
    var outputSpatial: Int { output.reduce(1, *) }
    /// Rows of the unfolded input: one per input channel of a group and kernel tap.
    var unfoldedRows: Int { channels / group * kernelArea }

    var scratchByteCount: Int {
        if let primitive { return primitiveScratchOffset + primitive.scratchByteCount }
        return (filters * unfoldedRows + unfoldedRows * outputSpatial + (requantized ? filters / group * outputSpatial + filters : 0)) * 4
    }

    static func prepare(_ context: KernelContext, _ attributes: ConvAttributes, requantized: Bool) throws(RuntimeError) -> PreparedKernel {
        let weightIndex = requantized ? 3 : 1
        let x = try context.type(0), w = try context.type(weightIndex)
        for operand in [x, w] where operand.dtype != .int8 && operand.dtype != .uint8 {
            throw context.fail("input and weight must be int8 or uint8, got \(operand)")
        }
        guard (3...5).contains(x.rank), w.rank == x.rank else {
            throw context.unsupported("input \(x) and weight \(w) must both have rank 3 to 5 (1-D to 3-D convolutions)")
        }
        let group = attributes.group
        let (channels, filters) = (x.shape[1], w.shape[0])
        guard group >= 1, filters % group == 0, channels == w.shape[1] * group else {
            throw context.fail("input \(x) does not fit weight \(w) with group \(group)")
        }
        let kernelShape = Array(w.shape[2...])
        if let declared = attributes.kernelShape, declared != kernelShape {
            throw context.fail("kernel_shape \(declared) differs from the weight's \(kernelShape)")
        }
        let geometry = try SpatialGeometry(
            input: Array(x.shape[2...]), kernel: kernelShape, strides: attributes.strides, pads: attributes.pads,
            dilations: attributes.dilations, autoPad: attributes.autoPad, ceilMode: false, context)
        let wZeroIndex = requantized ? 5 : 3
        _ = try IntegerMatMulKernel.zeroPointLayout(context, 2, operandDType: x.dtype, perEntry: nil)
        let perFilter = try context.checked("weight size") { () throws(ArithmeticOverflow) in try CheckedArithmetic.product(w.shape.dropFirst()) }
        let weightZeroLayout = try IntegerMatMulKernel.zeroPointLayout(context, wZeroIndex, operandDType: w.dtype,
                                                                       perEntry: (filters, perFilter, filters))
        var weightScaleCount = 0
        var outputType = DType.int32
        if requantized {
            (weightScaleCount, outputType) = try QuantizedKernels.requantization(context, channels: filters, role: "w_scale")
            if let bias = context.optionalType(8), bias.dtype != .int32 || bias.shape != [filters] {
                throw context.fail("bias must be int32[\(filters)], got \(bias)")
            }
        }
        let padding = 3 - geometry.input.count
        let padded = { (values: [Int], fill: Int) in Array(repeating: fill, count: padding) + values }
        let outputShape = [x.shape[0], filters] + geometry.output
        _ = try context.checked("scratch for the unfolded input") { () throws(ArithmeticOverflow) in
            let rows = try CheckedArithmetic.multiply(channels / group, try CheckedArithmetic.product(kernelShape))
            let columns = try CheckedArithmetic.product(geometry.output)
            return try CheckedArithmetic.multiply(try CheckedArithmetic.sum([try CheckedArithmetic.multiply(filters, rows),
                                                                            try CheckedArithmetic.multiply(rows, columns),
                                                                            try CheckedArithmetic.multiply(filters, columns), filters]), 4)
        }
        let weightZeroIsZero = context.node.input(wZeroIndex) == nil || context.constant(wZeroIndex)?.integerValues?.allSatisfy { $0 == 0 } == true
        let (positions, taps) = (geometry.output.reduce(1, *), channels / group * kernelShape.reduce(1, *))
        let primitive = context.compilesPrimitives && IntegerMatMulPrimitive.isExact && w.dtype == .int8 && weightZeroIsZero
            && positions > 0 && taps > 0
            ? try IntegerMatMulPrimitive.make(rows: positions, inner: taps, columns: filters / group, sourceType: x.dtype,
                                              sourceHasZeroPoint: context.node.input(2) != nil, node: context.node.name)
            : nil
        let kernel = IntegerConvolutionKernel(
            requantized: requantized, inputType: x.dtype, weightType: w.dtype, outputType: outputType,
            batch: x.shape[0], channels: channels, filters: filters, group: group,
            input: padded(geometry.input, 1), kernel: padded(kernelShape, 1), output: padded(geometry.output, 1),
            strides: padded(geometry.strides, 1), dilations: padded(geometry.dilations, 1), padsBegin: padded(geometry.padsBegin, 0),
            weightZeroLayout: weightZeroLayout, parameterTypes: (0..<9).map { context.optionalType($0)?.dtype },
            weightScaleCount: weightScaleCount, threads: context.threads, node: context.node.name, primitive: primitive)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(outputType, outputShape)])
    }

    func reader(_ io: KernelIO, _ index: Int) -> ParameterReader {
        ParameterReader(base: io.optionalInput(index), dtype: parameterTypes[index] ?? .int32)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let scratch = io.scratch else { return }
        if let primitive { return try run(io, primitive, scratch) }
        let (rows, columns, groupFilters) = (unfoldedRows, outputSpatial, filters / group)
        let weights = scratch.assumingMemoryBound(to: Int32.self)
        let unfolded = weights + filters * rows
        let accumulators = unfolded + rows * columns
        let multipliers = UnsafeMutableRawPointer(accumulators + groupFilters * columns).assumingMemoryBound(to: Float.self)
        if requantized { try prepareMultipliers(io, into: multipliers) }
        IntegerArithmetic.shift(io.input(weightIndex), dtype: weightType, count: filters * rows,
                                zeroPoints: reader(io, requantized ? 5 : 3), layout: weightZeroLayout, into: weights)
        let inputZero = reader(io, 2).integer(0)
        let bias = reader(io, 8), yZero = Float(reader(io, 7).integer(0))
        let groupChannels = channels / group
        for image in 0..<batch {
            for g in 0..<group {
                let source = io.input(0) + (image * channels + g * groupChannels) * inputSpatial
                if inputType == .int8 {
                    unfold(source.assumingMemoryBound(to: Int8.self), zeroPoint: inputZero, into: unfolded)
                } else {
                    unfold(source.assumingMemoryBound(to: UInt8.self), zeroPoint: inputZero, into: unfolded)
                }
                let firstFilter = image * filters + g * groupFilters
                let groupWeights = weights + g * groupFilters * rows
                guard requantized else {
                    let output = io.output(0).assumingMemoryBound(to: Int32.self) + firstFilter * columns
                    IntegerArithmetic.multiply(groupWeights, unfolded, output, rows: groupFilters, inner: rows, columns: columns, threads: threads)
                    continue
                }
                IntegerArithmetic.multiply(groupWeights, unfolded, accumulators, rows: groupFilters, inner: rows, columns: columns, threads: threads)
                for local in 0..<groupFilters {
                    let filter = g * groupFilters + local
                    let channelBias = parameterTypes[8] == nil ? 0 : bias.integer(filter)
                    let source = accumulators + local * columns
                    let offset = (firstFilter + local) * columns
                    if outputType == .int8 {
                        IntegerArithmetic.requantize(source, count: columns, bias: channelBias, multiplier: multipliers[filter], zeroPoint: yZero,
                                                     into: io.output(0).assumingMemoryBound(to: Int8.self) + offset)
                    } else {
                        IntegerArithmetic.requantize(source, count: columns, bias: channelBias, multiplier: multipliers[filter], zeroPoint: yZero,
                                                     into: io.output(0).assumingMemoryBound(to: UInt8.self) + offset)
                    }
                }
            }
        }
    }

    /// `x_scale · w_scale[filter] / y_scale` per output channel, after checking every scale.
    func prepareMultipliers(_ io: KernelIO, into multipliers: UnsafeMutablePointer<Float>) throws(RuntimeError) {
        let (inputScale, weightScale, outputScale) = (reader(io, 1), reader(io, 4), reader(io, 6))
        try inputScale.requirePositiveScales(count: 1, role: "x_scale", node: node, op: "QLinearConv")
        try weightScale.requirePositiveScales(count: weightScaleCount, role: "w_scale", node: node, op: "QLinearConv")
        try outputScale.requirePositiveScales(count: 1, role: "y_scale", node: node, op: "QLinearConv")
        for filter in 0..<filters {
            multipliers[filter] = inputScale.float(0) * weightScale.float(weightScaleCount == 1 ? 0 : filter) / outputScale.float(0)
        }
    }

    /// im2col of one group's channels, shifted by the zero point: row (channel, tap) holds the
    /// input value each output position reads through that tap, 0 where it reads padding.
    private func unfold<E: FixedWidthInteger>(_ source: UnsafePointer<E>, zeroPoint: Int32, into unfolded: UnsafeMutablePointer<Int32>) {
        let (depth, height, width) = (input[0], input[1], input[2])
        let (outputDepth, outputHeight, outputWidth) = (output[0], output[1], output[2])
        let columns = outputSpatial
        Parallel.forRanges(unfoldedRows, threads: threads, minimumChunk: max(1, (1 << 15) / max(columns, 1))) { range in
            for row in range {
                let channel = row / kernelArea, tap = row % kernelArea
                let (kd, kh, kw) = (tap / (kernel[1] * kernel[2]), tap / kernel[2] % kernel[1], tap % kernel[2])
                let plane = source + channel * inputSpatial
                var destination = unfolded + row * columns
                for od in 0..<outputDepth {
                    let id = od * strides[0] - padsBegin[0] + kd * dilations[0]
                    guard id >= 0, id < depth else {
                        destination.update(repeating: 0, count: outputHeight * outputWidth)
                        destination += outputHeight * outputWidth
                        continue
                    }
                    for oh in 0..<outputHeight {
                        let ih = oh * strides[1] - padsBegin[1] + kh * dilations[1]
                        guard ih >= 0, ih < height else {
                            destination.update(repeating: 0, count: outputWidth)
                            destination += outputWidth
                            continue
                        }
                        let line = plane + (id * height + ih) * width
                        for ow in 0..<outputWidth {
                            let iw = ow * strides[2] - padsBegin[2] + kw * dilations[2]
                            destination[ow] = iw >= 0 && iw < width ? Int32(line[iw]) &- zeroPoint : 0
                        }
                        destination += outputWidth
                    }
                }
            }
        }
    }
}
