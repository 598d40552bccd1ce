import ZooTensor

// Convolution, pooling and normalisation variants: ConvTranspose, LpPool, MaxUnpool,
// MaxPool's indices, LayerNormalization's statistics and the shape-keeping normalisations.
extension NodeContext {
    /// MaxPool's output, and its Indices (int64, the same shape) when asked for.
    func inferMaxPool(_ attributes: PoolAttributes) throws(GraphError) -> [Output] {
        guard attributes.storageOrder == 0 || attributes.storageOrder == 1 else {
            throw badAttribute("storage_order", "is \(attributes.storageOrder), must be 0 or 1")
        }
        let pooled = try inferPool(attributes, eightBit: true)
        return [pooled, Output(type: TensorType(.int64, pooled.type.dims))]
    }

    func inferLpPool(_ attributes: PoolAttributes, p: Int) throws(GraphError) -> Output {
        guard p >= 1 else { throw badAttribute("p", "is \(p), must be at least 1") }
        return try inferPool(attributes)
    }

    /// Y, then Mean and InvStdDev: the input's shape with the normalised axes kept as 1,
    /// in float32 (the stash type) for every input type.
    func inferLayerNormalization(axis: Int) throws(GraphError) -> [Output] {
        let normalised = try inferLayerNormalizationOutput(axis: axis)
        let input = try type(0)
        let first = try self.axis(axis, rank: input.rank)
        let statistics = TensorType(.float32, Array(input.dims[..<first]) + Array(repeating: 1, count: input.rank - first))
        return [normalised, Output(type: statistics), Output(type: statistics)]
    }

    func inferConvTranspose(_ attributes: ConvTransposeAttributes) throws(GraphError) -> Output {
        let input = try requireRank(0, 3...8, role: "input")
        _ = try floatType(0)
        let weight = try requireRank(1, input.rank...input.rank, role: "weight")
        try requireSameDType(1, as: 0)
        let group = attributes.group
        guard group >= 1 else { throw badAttribute("group", "is \(group), must be at least 1") }
        guard let kernel = TensorType(weight.dtype, Array(weight.dims.dropFirst(2))).staticShape,
              kernel.allSatisfy({ $0 >= 1 }) else {
            throw fail("weight '\(node.inputs[1])' must have a static, non-empty kernel shape, got \(weight)")
        }
        if let declared = attributes.kernelShape, declared != kernel {
            throw badAttribute("kernel_shape", "is \(declared), but the weight's kernel is \(kernel)")
        }
        if let channels = input.dims[1].value, let weightChannels = weight.dims[0].value, channels != weightChannels {
            throw fail("input has \(channels) channels, but the weight '\(node.inputs[1])' has \(weightChannels)")
        }
        if let channels = input.dims[1].value, channels % group != 0 {
            throw badAttribute("group", "is \(group), which does not divide the \(channels) input channels")
        }
        let outputChannels: Dim = try weight.dims[1].value.map { perGroup throws(GraphError) in
            .fixed(try checked("output channels (\(perGroup) per group × \(group) groups)") { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.multiply(perGroup, group)
            })
        } ?? freshDim(1)
        if let bias = optionalType(2) {
            try requireSameDType(2, as: 0)
            guard bias.rank == 1, bias.dims[0] == outputChannels || bias.dims[0].value == nil || outputChannels.value == nil else {
                throw fail("bias '\(node.inputs[2])' must be [\(outputChannels)], got \(bias)")
            }
        }
        let spatialCount = input.rank - 2
        let strides = try spatialList(attributes.strides, name: "strides", count: spatialCount, default: 1, minimum: 1)
        let dilations = try spatialList(attributes.dilations, name: "dilations", count: spatialCount, default: 1, minimum: 1)
        let pads = try spatialList(attributes.pads, name: "pads", count: 2 * spatialCount, default: 0, minimum: 0)
        let outputPadding = try spatialList(attributes.outputPadding, name: "output_padding", count: spatialCount,
                                            default: 0, minimum: 0)
        for axis in 0..<spatialCount where outputPadding[axis] >= max(strides[axis], dilations[axis]) {
            throw badAttribute("output_padding", "is \(outputPadding), each value must be less than its axis's stride or dilation")
        }
        if let requested = attributes.outputShape {
            let spatial = requested.count == input.rank ? Array(requested.dropFirst(2)) : requested
            _ = try spatialList(spatial, name: "output_shape", count: spatialCount, default: 1, minimum: 1)
            return Output(type: TensorType(input.dtype, [input.dims[0], outputChannels] + spatial.map(Dim.fixed)))
        }
        var dims: [Dim] = []
        for axis in 0..<spatialCount {
            guard let size = input.dims[axis + 2].value else { dims.append(freshDim(axis + 2)); continue }
            let described = "spatial axis \(axis + 2) (size \(size), kernel \(kernel[axis]), stride \(strides[axis]), dilation \(dilations[axis]))"
            let full = try checked(described) { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.sum([try CheckedArithmetic.multiply(strides[axis], size - 1), outputPadding[axis],
                                           try CheckedArithmetic.multiply(dilations[axis], kernel[axis] - 1), 1])
            }
            switch attributes.autoPad {
            case .sameUpper, .sameLower:
                dims.append(.fixed(try checked(described) { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.multiply(size, strides[axis])
                }))
            case .valid:
                dims.append(.fixed(full))
            case .notSet:
                let padding = try checked(described) { () throws(ArithmeticOverflow) in
                    try CheckedArithmetic.add(pads[axis], pads[axis + spatialCount])
                }
                guard full > padding else {
                    throw fail("\(described): pads \(padding) leave no output of the \(full) positions")
                }
                dims.append(.fixed(full - padding))
            }
        }
        return Output(type: TensorType(input.dtype, [input.dims[0], outputChannels] + dims))
    }

    func inferMaxUnpool(_ attributes: MaxUnpoolAttributes) throws(GraphError) -> Output {
        let input = try requireRank(0, 3...8, role: "input")
        _ = try floatType(0)
        let indices = try type(1, dtypeIn: [.int64], described: "int64")
        guard indices.dims == input.dims || indices.staticShape == nil || input.staticShape == nil else {
            throw fail("indices '\(node.inputs[1])' must have the input's shape \(input.dims), got \(indices)")
        }
        let spatialCount = input.rank - 2
        let kernel = try spatialList(attributes.kernelShape, name: "kernel_shape", count: spatialCount, default: 1, minimum: 1)
        let strides = try spatialList(attributes.strides, name: "strides", count: spatialCount, default: 1, minimum: 1)
        let pads = try spatialList(attributes.pads, name: "pads", count: 2 * spatialCount, default: 0, minimum: 0)
        if let requested = try constantIntegers(2, role: "output_shape") {
            guard requested.count == input.rank, requested.allSatisfy({ $0 >= 0 }) else {
                throw fail("output_shape \(requested) must hold \(input.rank) sizes of at least 0")
            }
            for axis in 0..<2 where input.dims[axis].value.map({ $0 != requested[axis] }) ?? false {
                throw fail("output_shape \(requested) differs from the input \(input.dims) on axis \(axis)")
            }
            return Output(type: TensorType(input.dtype, requested.map(Dim.fixed)))
        }
        var dims = Array(input.dims.prefix(2))
        for axis in 0..<spatialCount {
            guard let size = input.dims[axis + 2].value else { dims.append(freshDim(axis + 2)); continue }
            let described = "spatial axis \(axis + 2) (size \(size), kernel \(kernel[axis]), stride \(strides[axis]))"
            let full = try checked(described) { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.add(try CheckedArithmetic.multiply(size - 1, strides[axis]), kernel[axis])
            }
            let padding = try checked(described) { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.add(pads[axis], pads[axis + spatialCount])
            }
            guard full >= padding else { throw fail("\(described): pads \(padding) exceed the \(full) positions") }
            dims.append(.fixed(full - padding))
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    func inferNormalization(_ normalization: Normalization) throws(GraphError) -> Output {
        let input = try floatType(0)
        switch normalization {
        case .instance(let epsilon), .group(_, let epsilon, _), .rms(_, let epsilon):
            guard epsilon >= 0, epsilon.isFinite else { throw badAttribute("epsilon", "is \(epsilon), must be finite and at least 0") }
        case .meanVariance, .batchTraining:
            break
        }
        switch normalization {
        case .instance:
            guard input.rank >= 3 else { throw fail("input must have rank at least 3, got \(input)") }
            try requireVectors([1, 2], length: input.dims[1], of: "channels")
        case .group(let groupCount, _, let perGroupAffine):
            guard input.rank >= 2 else { throw fail("input must have rank at least 2, got \(input)") }
            guard groupCount >= 1 else { throw badAttribute("num_groups", "is \(groupCount), must be at least 1") }
            if let channels = input.dims[1].value, channels % groupCount != 0 {
                throw badAttribute("num_groups", "is \(groupCount), which does not divide the \(channels) channels")
            }
            try requireVectors([1, 2], length: perGroupAffine ? .fixed(groupCount) : input.dims[1],
                               of: perGroupAffine ? "groups" : "channels")
        case .rms(let axis, _):
            let first = try self.axis(axis, rank: input.rank)
            let parameter = try type(1)
            try requireSameDType(1, as: 0)
            let normalised = Array(input.dims[first...])
            // The scale broadcasts against the normalised axes.
            guard parameter.rank <= normalised.count,
                  zip(parameter.dims.reversed(), normalised.reversed()).allSatisfy({ $0 == $1 || $0 == .fixed(1) }) else {
                throw fail("scale '\(node.inputs[1])' must broadcast to the normalised axes \(normalised), got \(parameter)")
            }
        case .batchTraining:
            break
        case .meanVariance(let axes):
            var seen = Set<Int>()
            for axis in axes {
                guard seen.insert(try self.axis(axis, rank: input.rank, attribute: "axes")).inserted else {
                    throw badAttribute("axes", "is \(axes), which names an axis twice")
                }
            }
        }
        return Output(type: input)
    }

    /// Inputs at `indices` must be vectors of `length` entries, like the input's dtype.
    private func requireVectors(_ indices: [Int], length: Dim, of what: String) throws(GraphError) {
        for index in indices {
            let parameter = try requireRank(index, 1...1, role: index == 1 ? "scale" : "bias")
            try requireSameDType(index, as: 0)
            if let expected = length.value, let size = parameter.dims[0].value, expected != size {
                throw fail("'\(node.inputs[index])' has \(size) entries, but the input has \(expected) \(what)")
            }
        }
    }
}
