import ZooTensor

// Convolution, pooling and normalisation: the spatial arithmetic of CNNs.
extension NodeContext {
    /// Output size of one spatial axis, ⌊(n + padBegin + padEnd − d·(k−1) − 1) / s⌋ + 1,
    /// or the ceiling form for pools with ceil_mode (PyTorch's rule: a window may not start
    /// inside the end padding).
    func spatialOutput(input: Dim, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int,
                       autoPad: AutoPad, ceilMode: Bool, axis: Int) throws(GraphError) -> Dim {
        typealias Checked = CheckedArithmetic
        let described = "spatial axis \(axis) (kernel \(kernel), stride \(stride), dilation \(dilation), pads \(padBegin) and \(padEnd))"
        let effectiveKernel = try checked(described) { () throws(ArithmeticOverflow) in
            try Checked.add(try Checked.multiply(dilation, kernel - 1), 1)
        }
        let padding = try checked(described) { () throws(ArithmeticOverflow) in try Checked.add(padBegin, padEnd) }
        guard let size = input.value else {
            // With stride 1, a window whose padding makes up its extent maps n to n: keep the
            // symbol (a "same" convolution over `seq`) instead of inventing a fresh one.
            let padding = switch autoPad {
            case .notSet: padding
            case .valid: 0
            case .sameUpper, .sameLower: effectiveKernel - 1
            }
            return stride == 1 && padding == effectiveKernel - 1 ? input : freshDim(axis)
        }
        switch autoPad {
        case .sameUpper, .sameLower:
            // ⌈size / stride⌉, written so that a stride near 2^63 cannot overflow.
            return .fixed(size == 0 ? 0 : (size - 1) / stride + 1)
        case .valid:
            guard size >= effectiveKernel else { throw tooSmall(size, effectiveKernel, axis) }
            return .fixed((size - effectiveKernel) / stride + 1)
        case .notSet:
            let padded = try checked(described) { () throws(ArithmeticOverflow) in try Checked.add(size, padding) }
            let span = padded - effectiveKernel
            guard span >= 0 else { throw tooSmall(padded, effectiveKernel, axis) }
            // ⌈span / stride⌉ without forming span + stride − 1, which overflows for huge strides.
            var output = (ceilMode && span % stride != 0 ? span / stride + 1 : span / stride) + 1
            let (reach, beyond) = (output - 1).multipliedReportingOverflow(by: stride)
            if ceilMode && (beyond || reach >= size + padBegin) { output -= 1 }
            return .fixed(output)
        }
    }

    private func tooSmall(_ size: Int, _ window: Int, _ axis: Int) -> GraphError {
        fail("spatial axis \(axis) has size \(size) (with padding), smaller than the \(window)-wide window")
    }

    /// Checks per-axis attribute lists and fills defaults.
    func spatialList(_ values: [Int]?, name: String, count: Int, default fill: Int, minimum: Int)
        throws(GraphError) -> [Int]
    {
        guard let values else { return Array(repeating: fill, count: count) }
        guard values.count == count else {
            throw badAttribute(name, "has \(values.count) values, expected \(count) (one per spatial axis)")
        }
        guard values.allSatisfy({ $0 >= minimum }) else {
            throw badAttribute(name, "is \(values), every value must be at least \(minimum)")
        }
        return values
    }

    func spatialOutputs(input: TensorType, kernel: [Int], strides: [Int]?, pads: [Int]?, dilations: [Int]?,
                        autoPad: AutoPad, ceilMode: Bool) throws(GraphError) -> [Dim] {
        let spatialCount = input.rank - 2
        let strides = try spatialList(strides, name: "strides", count: spatialCount, default: 1, minimum: 1)
        let dilations = try spatialList(dilations, name: "dilations", count: spatialCount, default: 1, minimum: 1)
        let pads = try spatialList(pads, name: "pads", count: 2 * spatialCount, default: 0, minimum: 0)
        var dims: [Dim] = []
        for axis in 0..<spatialCount {
            dims.append(try spatialOutput(
                input: input.dims[axis + 2], kernel: kernel[axis], stride: strides[axis], dilation: dilations[axis],
                padBegin: pads[axis], padEnd: pads[axis + spatialCount], autoPad: autoPad, ceilMode: ceilMode,
                axis: axis + 2))
        }
        return dims
    }

    func inferConv(_ attributes: ConvAttributes) throws(GraphError) -> Output {
        let input = try requireRank(0, 3...8, role: "input")
        _ = try floatType(0)
        _ = try requireRank(1, input.rank...input.rank, role: "weight")
        try requireSameDType(1, as: 0)
        if optionalType(2) != nil { try requireSameDType(2, as: 0) }
        return Output(type: TensorType(input.dtype, try convolutionDims(input: 0, weight: 1, bias: 2, attributes)))
    }

    /// The output dims of a convolution of input `inputIndex` by weight `weightIndex`
    /// (`[M, C/group, k…]`) with an optional `[M]` bias, after checking that they fit together:
    /// shared by Conv and the quantized convolutions, whose operands sit at other positions.
    func convolutionDims(input inputIndex: Int, weight weightIndex: Int, bias biasIndex: Int?,
                         _ attributes: ConvAttributes) throws(GraphError) -> [Dim] {
        let input = try requireRank(inputIndex, 3...8, role: "input")
        let weight = try requireRank(weightIndex, input.rank...input.rank, role: "weight")
        guard attributes.group >= 1 else { throw badAttribute("group", "is \(attributes.group), must be at least 1") }
        let kernel = Array(weight.dims.dropFirst(2))
        guard let kernelSizes = TensorType(weight.dtype, kernel).staticShape else {
            throw fail("weight '\(node.inputs[weightIndex])' must have a static kernel shape, got \(weight)")
        }
        if let declared = attributes.kernelShape, declared != kernelSizes {
            throw badAttribute("kernel_shape", "is \(declared), but the weight's kernel is \(kernelSizes)")
        }
        guard kernelSizes.allSatisfy({ $0 >= 1 }) else { throw fail("weight kernel \(kernelSizes) has an empty axis") }
        if let outputChannels = weight.dims[0].value, outputChannels % attributes.group != 0 {
            throw badAttribute("group", "is \(attributes.group), which does not divide the \(outputChannels) output channels")
        }
        if let channels = input.dims[1].value, let perGroup = weight.dims[1].value {
            let expected = try? CheckedArithmetic.multiply(perGroup, attributes.group)
            guard channels == expected else {
                throw fail("input has \(channels) channels, but the weight expects \(perGroup) per group × \(attributes.group) groups = \(expected.map(String.init) ?? "more than 64 bits hold")")
            }
        }
        if let biasIndex, let bias = optionalType(biasIndex) {
            guard bias.rank == 1, bias.dims[0] == weight.dims[0] else {
                throw fail("bias '\(node.inputs[biasIndex])' must be [\(weight.dims[0])], got \(bias)")
            }
        }
        let spatial = try spatialOutputs(input: input, kernel: kernelSizes, strides: attributes.strides,
                                         pads: attributes.pads, dilations: attributes.dilations,
                                         autoPad: attributes.autoPad, ceilMode: false)
        return [input.dims[0], weight.dims[0]] + spatial
    }

    /// `eightBit`: int8 and uint8 too (MaxPool).
    func inferPool(_ attributes: PoolAttributes, eightBit: Bool = false) throws(GraphError) -> Output {
        let input = try requireRank(0, 3...8, role: "input")
        if eightBit {
            _ = try type(0, dtypeIn: [.float32, .float16, .bfloat16, .float64, .int8, .uint8], described: "a floating-point or 8-bit integer tensor")
        } else {
            _ = try floatType(0)
        }
        _ = try spatialList(attributes.kernelShape, name: "kernel_shape", count: input.rank - 2, default: 1, minimum: 1)
        let spatial = try spatialOutputs(input: input, kernel: attributes.kernelShape, strides: attributes.strides,
                                         pads: attributes.pads, dilations: attributes.dilations,
                                         autoPad: attributes.autoPad, ceilMode: attributes.ceilMode)
        return Output(type: TensorType(input.dtype, Array(input.dims.prefix(2)) + spatial))
    }

    func inferGlobalPool() throws(GraphError) -> Output {
        let input = try requireRank(0, 3...8, role: "input")
        _ = try floatType(0)
        return Output(type: TensorType(input.dtype, Array(input.dims.prefix(2)) + Array(repeating: 1, count: input.rank - 2)))
    }

    func inferLRN(_ attributes: LRNAttributes) throws(GraphError) -> Output {
        let input = try requireRank(0, 3...8, role: "input")
        _ = try floatType(0)
        guard attributes.size >= 1 else { throw badAttribute("size", "is \(attributes.size), must be at least 1") }
        return Output(type: input)
    }

    func inferBatchNormalization() throws(GraphError) -> Output {
        let input = try requireRank(0, 2...8, role: "input")
        _ = try floatType(0)
        for index in 1...4 {
            let parameter = try requireRank(index, 1...1, role: ["", "scale", "bias", "mean", "variance"][index])
            _ = try floatType(index)
            if let channels = input.dims[1].value, let size = parameter.dims[0].value, channels != size {
                throw fail("'\(node.inputs[index])' has \(size) entries, but the input has \(channels) channels")
            }
        }
        return Output(type: input)
    }

    func inferLayerNormalizationOutput(axis: Int) throws(GraphError) -> Output {
        let input = try floatType(0)
        let first = try self.axis(axis, rank: input.rank)
        let normalised = Array(input.dims[first...])
        for index in [1, 2] where optionalType(index) != nil {
            let parameter = try type(index)
            try requireSameDType(index, as: 0)
            guard parameter.dims == normalised || parameter.staticShape == TensorType(input.dtype, normalised).staticShape else {
                throw fail("'\(node.inputs[index])' must have shape \(normalised) (the normalised axes), got \(parameter)")
            }
        }
        return Output(type: input)
    }
}
