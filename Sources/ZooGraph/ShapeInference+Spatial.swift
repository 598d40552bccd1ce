import ZooTensor

// GridSample, AffineGrid and Col2Im (SpatialOp). GridSample's output takes its sizes from the
// grid; AffineGrid's and Col2Im's from operands (size; image_shape and block_shape) that give
// exact sizes when they are constants or dims followed through shape arithmetic, and fresh
// symbols otherwise: the executor folds them once shapes are known, and refuses them, naming
// them, if they are values known only at run time.
extension NodeContext {
    func inferSpatial(_ op: SpatialOp) throws(GraphError) -> Output {
        switch op {
        case .gridSample: try inferGridSample()
        case .affineGrid: try inferAffineGrid()
        case .col2Im(let attributes): try inferCol2Im(attributes)
        }
    }

    private func inferGridSample() throws(GraphError) -> Output {
        let image = try floatType(0), grid = try floatType(1)
        guard image.rank == 4 || image.rank == 5 else {
            throw fail("X '\(node.inputs[0])' must be [N, C, H, W] or [N, C, D, H, W], got \(image)")
        }
        let spatialRank = image.rank - 2
        guard grid.rank == image.rank, grid.dims.last == .fixed(spatialRank) else {
            throw fail("grid '\(node.inputs[1])' must be [N, \(Array(repeating: "…", count: spatialRank).joined(separator: ", ")), \(spatialRank)] for X \(image), got \(grid)")
        }
        try requireSameDType(1, as: 0)
        try requireSameSize(image.dims[0], grid.dims[0], what: "the batch of X and grid")
        return Output(type: TensorType(image.dtype, [image.dims[0], image.dims[1]] + grid.dims[1..<(grid.rank - 1)]))
    }

    private func inferAffineGrid() throws(GraphError) -> Output {
        let theta = try floatType(0)
        guard theta.rank == 3, let spatialRank = theta.dims[1].value, [2, 3].contains(spatialRank),
              theta.dims[2] == .fixed(spatialRank + 1) else {
            throw fail("theta '\(node.inputs[0])' must be [N, 2, 3] or [N, 3, 4], got \(theta)")
        }
        let size = try integerType(1)
        guard size.rank == 1, size.dims[0] == .fixed(spatialRank + 2) || size.dims[0].value == nil else {
            throw fail("size '\(node.inputs[1])' must hold \(spatialRank + 2) values [N, C, spatial…] for theta \(theta), got \(size)")
        }
        guard let values = knownDims(1) else {
            let spatial = (0..<spatialRank).map(freshDim)
            return Output(type: TensorType(theta.dtype, [theta.dims[0]] + spatial + [.fixed(spatialRank)]))
        }
        guard values.count == spatialRank + 2, values.allSatisfy({ ($0.value ?? 0) >= 0 }) else {
            throw fail("size \(values) must hold \(spatialRank + 2) sizes (not negative) [N, C, spatial…] for theta \(theta)")
        }
        try requireSameSize(values[0], theta.dims[0], what: "size's N and theta's batch")
        return Output(type: TensorType(theta.dtype, [theta.dims[0]] + values[2...] + [.fixed(spatialRank)]))
    }

    private func inferCol2Im(_ attributes: Col2ImAttributes) throws(GraphError) -> Output {
        let input = try type(0)
        guard input.rank == 3 else { throw fail("input '\(node.inputs[0])' must be [N, C·∏block_shape, L], got \(input)") }
        _ = try integerType(1)
        _ = try integerType(2)
        guard let image = knownDims(1), let block = knownDims(2) else {
            let spatialRank = try type(1).dims.first?.value ?? 0
            guard spatialRank >= 1 else { throw fail("image_shape '\(node.inputs[1])' must be a 1-D tensor of the spatial sizes") }
            return Output(type: TensorType(input.dtype, [input.dims[0], freshDim(1)] + (0..<spatialRank).map { freshDim($0 + 2) }))
        }
        let fixedImage = image.compactMap(\.value), fixedBlock = block.compactMap(\.value)
        guard fixedImage.count == image.count, fixedBlock.count == block.count else {
            // Sizes from symbols: the output's spatial axes are the image's; the channels wait for the block.
            return Output(type: TensorType(input.dtype, [input.dims[0], freshDim(1)] + image))
        }
        let geometry: Col2ImGeometry
        do { geometry = try Col2ImGeometry(image: fixedImage, block: fixedBlock, attributes) } catch { throw fail(error.description) }
        if let columns = input.dims[2].value, columns != geometry.columnCount {
            throw fail("input \(input) holds \(columns) columns; image_shape \(fixedImage) and block_shape \(fixedBlock) with these strides, pads and dilations give \(geometry.columnCount)")
        }
        var channels = freshDim(1)
        if let blockChannels = input.dims[1].value {
            guard blockChannels % geometry.blockElementCount == 0 else {
                throw fail("input \(input): \(blockChannels) is not a multiple of the block's \(geometry.blockElementCount) elements")
            }
            channels = .fixed(blockChannels / geometry.blockElementCount)
        }
        return Output(type: TensorType(input.dtype, [input.dims[0], channels] + image))
    }

    /// Two sizes that must agree when both are known.
    private func requireSameSize(_ first: Dim, _ second: Dim, what: String) throws(GraphError) {
        guard first == second || first.value == nil || second.value == nil else {
            throw fail("\(what) differ: \(first) and \(second)")
        }
    }
}
