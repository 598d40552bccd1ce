import ZooGraph
import ZooTensor

/// Kernels of the spatial resampling ops (ResampleOp). Resize's scales, sizes and roi must
/// be constants once shapes are known (values computed while the graph runs are issue 12's
/// runtime shapes); the sampling of every axis is computed here, once per shape.
enum ResampleKernels {
    static func prepare(_ context: KernelContext, _ op: ResampleOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        switch op {
        case .resize(let attributes): return try prepareResize(context, attributes)
        case .centerCropPad(let axes): return try prepareCenterCropPad(context, axes: axes)
        }
    }

    private static func prepareResize(_ context: KernelContext, _ attributes: ResizeAttributes) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        guard input.rank >= 1 else { throw context.fail("X must have at least one axis") }
        let axes = try resolvedAxes(context, attributes.axes, rank: input.rank)
        for (index, role) in [(1, "roi"), (2, "scales"), (3, "sizes")] where context.node.input(index) != nil {
            // roi matters only to tf_crop_and_resize; other modes ignore whatever it holds.
            guard context.constant(index) != nil || (index == 1 && attributes.coordinateTransformation != .tfCropAndResize) else {
                throw context.runTimeValue(index, role: role)
            }
        }
        let geometry: ResizeGeometry
        do {
            let operands = try ResizeOperands(roi: context.constant(1), scales: context.constant(2), sizes: context.constant(3))
            geometry = try ResizeGeometry(inputShape: input.shape, attributes: attributes, axes: axes, scales: operands.scales,
                                          sizes: operands.sizes, roi: operands.roi)
        } catch { throw context.fail("\(error)") }
        let outputType = ValueType(input.dtype, geometry.outputShape)
        try context.requireAllocatable(outputType, value: context.node.outputs[0])
        if attributes.mode == .nearest {
            guard attributes.coordinateTransformation != .tfCropAndResize || input.dtype == .float32 else {
                throw context.unsupported("tf_crop_and_resize's extrapolation value is written in float32 only; X is \(input.dtype)")
            }
        } else {
            guard input.dtype == .float32 else {
                throw context.unsupported("\(attributes.mode.rawValue) Resize computes in float32; X is \(input.dtype)")
            }
        }
        var sampling: [ResizeAxisSampling] = []
        for axis in 0..<input.rank {
            let roi = geometry.roi.map { ($0[axis], $0[input.rank + axis]) }
            sampling.append(try ResizeAxisSampling(axis: axis, inputLength: input.shape[axis], outputLength: geometry.outputShape[axis],
                                                   scale: geometry.scales[axis], roi: roi, attributes: attributes, context))
        }
        let kernel: any Kernel = attributes.mode == .nearest
            ? NearestResizeKernel(sampling: sampling, elementSize: input.dtype.byteSize,
                                  extrapolationValue: attributes.extrapolationValue, threads: context.threads)
            : InterpolatingResizeKernel(sampling: sampling, inputShape: input.shape,
                                        extrapolationValue: attributes.extrapolationValue, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [outputType])
    }

    /// CenterCropPad as Pad with a crop or a zero padding of each listed axis.
    private static func prepareCenterCropPad(_ context: KernelContext, axes: [Int]?) throws(RuntimeError) -> PreparedKernel {
        let input = try context.type(0)
        let listed = try resolvedAxes(context, axes, rank: input.rank)
        guard let shape = try context.constantIntegers(1, role: "shape") else { throw context.fail("missing shape") }
        guard shape.count == listed.count else { throw context.fail("shape has \(shape.count) values for \(listed.count) axes") }
        var padded: [PaddedAxis] = []
        for axis in 0..<input.rank {
            let length = input.shape[axis]
            do {
                let centred = try CenteredAxis(inputLength: length, outputLength: listed.firstIndex(of: axis).map { shape[$0] } ?? length)
                // Negative pads crop: the cells ahead of `first` and after the kept run.
                let begin = centred.before - centred.first
                let end = (centred.length - centred.before - centred.kept) - (length - centred.first - centred.kept)
                padded.append(try PaddedAxis(inputLength: length, begin: begin, end: end, mode: .constant))
            } catch {
                throw context.fail("axis \(axis): \(error)")
            }
        }
        let outputShape = padded.map(\.length)
        let outputType = ValueType(input.dtype, outputShape)
        try context.requireAllocatable(outputType, value: context.node.outputs[0])
        let rowCount = outputShape.contains(0) ? 0 : outputShape.dropLast().reduce(1, *)
        let kernel = PadKernel(axes: padded, inputStrides: StridedLayout.rowMajorStrides(input.shape), mode: .constant,
                               elementSize: input.dtype.byteSize, rowCount: rowCount, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [outputType])
    }

    private static func resolvedAxes(_ context: KernelContext, _ axes: [Int]?, rank: Int) throws(RuntimeError) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        var resolved: [Int] = []
        for axis in axes {
            let position = try context.axis(axis, rank: rank, name: "axes")
            guard !resolved.contains(position) else { throw context.fail("axes \(axes) name axis \(position) twice") }
            resolved.append(position)
        }
        return resolved
    }
}
