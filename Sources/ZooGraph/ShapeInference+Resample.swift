import ZooTensor

// Spatial resampling (ResampleOp). Resize's lengths come from constant scales or sizes
// (ResizeGeometry), or from sizes followed through shape arithmetic; with a symbolic input a
// listed axis gets its size from `sizes`, keeps its dim under a scale of 1, and is a fresh
// symbol otherwise. Operands computed in the
// graph give fresh symbols: the executor folds them once shapes are known and refuses any
// known only at run time, naming it.
extension NodeContext {
    func inferResample(_ op: ResampleOp) throws(GraphError) -> Output {
        switch op {
        case .resize(let attributes): try inferResize(attributes)
        case .centerCropPad(let axes): try inferCenterCropPad(axes: axes)
        }
    }

    /// Distinct resolved axes of an `axes` attribute; every axis when nil.
    func resampledAxes(_ axes: [Int]?, rank: Int) throws(GraphError) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        var resolved: [Int] = []
        for axis in axes {
            let position = try self.axis(axis, rank: rank, attribute: "axes")
            guard !resolved.contains(position) else { throw badAttribute("axes", "\(axes) names axis \(position) twice") }
            resolved.append(position)
        }
        return resolved
    }

    /// The constant value of an optional input; nil when absent or not constant.
    private func optionalConstant(_ index: Int) -> Tensor? {
        node.input(index) == nil ? nil : constants[index]
    }

    func inferResize(_ attributes: ResizeAttributes) throws(GraphError) -> Output {
        let input = try requireRank(0, 1...Int.max, role: "X")
        let axes = try resampledAxes(attributes.axes, rank: input.rank)
        guard attributes.mode != .nearest || !attributes.antialias else { throw badAttribute("antialias", "applies to linear and cubic modes only") }
        if node.input(2) != nil { _ = try type(2, dtypeIn: [.float32], described: "float32 scales") }
        if node.input(3) != nil { _ = try type(3, dtypeIn: [.int64], described: "int64 sizes") }
        // An operand computed in the graph: unknown here.
        let operandsKnown = (1...3).allSatisfy { node.input($0) == nil || constants[$0] != nil }
        let operands: ResizeOperands
        do { operands = try ResizeOperands(roi: optionalConstant(1), scales: optionalConstant(2), sizes: optionalConstant(3)) } catch {
            throw fail("\(error)")
        }
        var dims = input.dims
        guard operandsKnown else {
            // Sizes built from the input's own shape (Concat of a Shape slice and constants, as
            // PyTorch's exporters write them) are followed as dims.
            let followed = attributes.keepAspectRatioPolicy == .stretch ? knownDims(3) : nil
            for (position, axis) in axes.enumerated() {
                dims[axis] = followed.flatMap { $0.count == axes.count ? $0[position] : nil } ?? freshDim(axis)
            }
            return Output(type: TensorType(input.dtype, dims))
        }
        // Symbolic lengths get a stand-in to check the operands; their results are not kept.
        let geometry: ResizeGeometry
        do {
            geometry = try ResizeGeometry(inputShape: input.dims.map { $0.value ?? 1 }, attributes: attributes, axes: axes,
                                          scales: operands.scales, sizes: operands.sizes, roi: operands.roi)
        } catch { throw fail("\(error)") }
        // A policy's one scale depends on every listed length.
        let policyNeedsAll = operands.sizes != nil && attributes.keepAspectRatioPolicy != .stretch
        let allListedKnown = axes.allSatisfy { input.dims[$0].value != nil }
        for (position, axis) in axes.enumerated() {
            if input.dims[axis].value != nil && (allListedKnown || !policyNeedsAll) {
                dims[axis] = .fixed(geometry.outputShape[axis])
            } else if let sizes = operands.sizes, !policyNeedsAll {
                dims[axis] = .fixed(sizes[position])
            } else if operands.scales?[position] != 1 || policyNeedsAll {
                dims[axis] = freshDim(axis)
            }
        }
        _ = try product(dims)
        return Output(type: TensorType(input.dtype, dims))
    }

    func inferCenterCropPad(axes: [Int]?) throws(GraphError) -> Output {
        let input = try type(0)
        let resolved = try resampledAxes(axes, rank: input.rank)
        guard let shape = try constantIntegersOrUnknown(1, role: "shape") else {
            var dims = input.dims
            for axis in resolved { dims[axis] = freshDim(axis) }
            return Output(type: TensorType(input.dtype, dims))
        }
        guard shape.count == resolved.count else { throw fail("shape has \(shape.count) values for \(resolved.count) axes") }
        var dims = input.dims
        for (axis, length) in zip(resolved, shape) {
            guard length >= 0 else { throw fail("shape \(shape) has a negative length") }
            dims[axis] = .fixed(length)
        }
        return Output(type: TensorType(input.dtype, dims))
    }

    /// Integer values of a constant input; nil when it is computed in the graph.
    private func constantIntegersOrUnknown(_ index: Int, role: String) throws(GraphError) -> [Int]? {
        _ = try integerType(index)
        return constants[index]?.integerValues
    }
}
