import ZooTensor

// RoiAlign and DeformConv (RegionOp): output sizes follow from attributes and input shapes.
extension NodeContext {
    func inferRegion(_ op: RegionOp) throws(GraphError) -> Output {
        switch op {
        case .roiAlign(let attributes): try inferRoiAlign(attributes)
        case .deformConv(let attributes): try inferDeformConv(attributes)
        }
    }

    private func inferRoiAlign(_ attributes: RoiAlignAttributes) throws(GraphError) -> Output {
        let image = try floatType(0), rois = try floatType(1)
        let batchIndices = try type(2, dtypeIn: [.int64], described: "int64")
        try requireSameDType(1, as: 0)
        guard image.rank == 4 else { throw fail("X '\(node.inputs[0])' must be [N, C, H, W], got \(image)") }
        guard rois.rank == 2, rois.dims[1] == .fixed(4) || rois.dims[1].value == nil, batchIndices.rank == 1 else {
            throw fail("rois '\(node.inputs[1])' must be [R, 4] and batch_indices '\(node.inputs[2])' [R], got \(rois) and \(batchIndices)")
        }
        if let roiCount = rois.dims[0].value, let indexCount = batchIndices.dims[0].value, roiCount != indexCount {
            throw fail("rois \(rois) and batch_indices \(batchIndices) differ in their number of regions")
        }
        guard attributes.outputHeight >= 1, attributes.outputWidth >= 1 else {
            throw badAttribute("output_height", "output_height \(attributes.outputHeight) and output_width \(attributes.outputWidth) must be positive")
        }
        guard attributes.samplingRatio >= 0 else { throw badAttribute("sampling_ratio", "is \(attributes.samplingRatio); it must not be negative") }
        guard attributes.spatialScale.isFinite else { throw badAttribute("spatial_scale", "is \(attributes.spatialScale); it must be finite") }
        return Output(type: TensorType(image.dtype, [rois.dims[0], image.dims[1], .fixed(attributes.outputHeight), .fixed(attributes.outputWidth)]))
    }

    private func inferDeformConv(_ attributes: DeformConvAttributes) throws(GraphError) -> Output {
        let image = try floatType(0), weight = try floatType(1), offset = try floatType(2)
        for index in 1..<node.inputs.count where optionalType(index) != nil { try requireSameDType(index, as: 0) }
        guard image.rank == 4, weight.rank == 4, offset.rank == 4 else {
            throw fail("X, W and offset must be 4-D (only 2-D deformable convolutions are supported), got \(image), \(weight) and \(offset)")
        }
        guard attributes.group >= 1, attributes.offsetGroup >= 1 else {
            throw badAttribute("group", "is \(attributes.group) with offset_group \(attributes.offsetGroup); both must be positive")
        }
        var spatial = [freshDim(2), freshDim(3)]
        if let height = image.dims[2].value, let width = image.dims[3].value, let kernelHeight = weight.dims[2].value, let kernelWidth = weight.dims[3].value {
            do {
                let geometry = try DeformConvGeometry(input: [height, width], kernel: [kernelHeight, kernelWidth], attributes)
                spatial = geometry.output.map(Dim.fixed)
            } catch { throw fail(error.description) }
        }
        if let channels = image.dims[1].value, let perGroup = weight.dims[1].value, channels != perGroup * attributes.group {
            throw fail("X \(image) has \(channels) channels; W \(weight) with group \(attributes.group) takes \(perGroup * attributes.group)")
        }
        if let channels = image.dims[1].value, channels % attributes.offsetGroup != 0 {
            throw fail("X's \(channels) channels do not split into offset_group \(attributes.offsetGroup) groups")
        }
        if let filters = weight.dims[0].value, filters % attributes.group != 0 {
            throw fail("W's \(filters) filters do not split into group \(attributes.group) groups")
        }
        if let taps = weight.dims[2].value.flatMap({ height in weight.dims[3].value.map { height * $0 } }),
           let offsetChannels = offset.dims[1].value, offsetChannels != 2 * attributes.offsetGroup * taps {
            throw fail("offset \(offset) has \(offsetChannels) channels; offset_group \(attributes.offsetGroup) and a \(taps)-tap kernel take \(2 * attributes.offsetGroup * taps)")
        }
        for (axis, dim) in spatial.enumerated() where dim.value != nil && offset.dims[axis + 2].value != nil && offset.dims[axis + 2] != dim {
            throw fail("offset \(offset) must cover the output's \(spatial) points")
        }
                return Output(type: TensorType(image.dtype, [image.dims[0], weight.dims[0]] + spatial))
    }
}
