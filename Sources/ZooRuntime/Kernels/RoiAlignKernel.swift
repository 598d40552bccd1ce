import ZooGraph
import ZooTensor

/// RoiAlign over X `[N, C, H, W]` (float32), as onnxruntime computes it (Mask R-CNN's
/// RoIAlign): each region (x1, y1, x2, y2), scaled by spatial_scale and shifted by −0.5 with
/// half_pixel (else at least 1 × 1), is cut into output_height × output_width bins; each bin
/// averages (avg) or takes the maximum (max) of a grid of sample points, sampling_ratio per
/// axis or ⌈bin size⌉ when 0. A sample is read bilinearly from its four neighbours, clamped
/// to the image; one more than a pixel outside reads 0. In max mode a sample is the largest
/// of its four weighted neighbours, as onnxruntime and the onnx reference take it. A bin's
/// sample positions and weights serve every channel; regions are spread over threads. A
/// batch index outside [0, N), a coordinate that is not finite (as onnxruntime), or a region
/// needing more than `sampleLimit` sample points stops the run, naming the node.
struct RoiAlignKernel: Kernel {
    let attributes: RoiAlignAttributes
    let node: String
    let batchCount: Int
    let channelCount: Int
    let height: Int
    let width: Int
    let regionCount: Int
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: RoiAlignAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let image = try context.floatType(0), rois = try context.floatType(1), indices = try context.type(2)
        guard image.rank == 4, rois.rank == 2, rois.shape[1] == 4, indices.dtype == .int64, indices.shape == [rois.shape[0]] else {
            throw context.fail("X \(image), rois \(rois) and batch_indices \(indices) must be [N, C, H, W], [R, 4] and int64 [R]")
        }
        guard (image.shape[2] >= 1 && image.shape[3] >= 1) || rois.shape[0] == 0 else {
            throw context.fail("X \(image) has no pixels to sample \(rois.shape[0]) regions from")
        }
        guard attributes.outputHeight >= 1, attributes.outputWidth >= 1, attributes.samplingRatio >= 0 else {
            throw context.fail("output_height \(attributes.outputHeight) and output_width \(attributes.outputWidth) must be positive, sampling_ratio \(attributes.samplingRatio) not negative")
        }
        if attributes.samplingRatio > 0 {
            let samples = try context.checked("sample points per region") { () throws(ArithmeticOverflow) in
                try CheckedArithmetic.product([attributes.samplingRatio, attributes.samplingRatio, attributes.outputHeight, attributes.outputWidth])
            }
            guard samples <= sampleLimit else {
                throw context.unsupported("sampling_ratio \(attributes.samplingRatio) asks for \(samples) sample points per region, more than \(sampleLimit)")
            }
        }
        let kernel = RoiAlignKernel(attributes: attributes, node: context.node.name, batchCount: image.shape[0], channelCount: image.shape[1],
                                    height: image.shape[2], width: image.shape[3], regionCount: rois.shape[0], threads: context.threads)
        let output = ValueType(.float32, [rois.shape[0], image.shape[1], attributes.outputHeight, attributes.outputWidth])
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    /// Sample points one region may need (their positions and weights take 48 bytes each).
    static let sampleLimit = 1 << 22

    func run(_ io: KernelIO) throws(RuntimeError) {
        let image = io.floats(0), rois = io.floats(1), output = io.outputFloats(0)
        let batchIndices = io.input(2).assumingMemoryBound(to: Int64.self)
        for region in 0..<regionCount where !(0..<Int64(batchCount)).contains(batchIndices[region]) {
            throw .shape(node: node, op: "RoiAlign", message: "batch index \(batchIndices[region]) of region \(region) is outside [0, \(batchCount))")
        }
        for region in 0..<regionCount {
            guard (0..<4).allSatisfy({ rois[region * 4 + $0].isFinite }) else {
                throw .shape(node: node, op: "RoiAlign", message: "region \(region) has a coordinate that is not finite")
            }
            let grid = RegionSamples.grid(rois + region * 4, attributes)
            let samples = grid.height.multipliedReportingOverflow(by: grid.width).partialValue
            guard samples <= Self.sampleLimit / (attributes.outputHeight * attributes.outputWidth) else {
                throw .shape(node: node, op: "RoiAlign", message: "region \(region) needs \(grid.height) × \(grid.width) sample points per bin, more than \(Self.sampleLimit) per region")
            }
        }
        let binCount = attributes.outputHeight * attributes.outputWidth, plane = height * width
        Parallel.forRanges(regionCount, threads: threads, minimumChunk: 1) { range in
            for region in range {
                let samples = RegionSamples(rois + region * 4, attributes, height: height, width: width)
                let source = image + Int(batchIndices[region]) * channelCount * plane
                for channel in 0..<channelCount {
                    let values = source + channel * plane
                    let target = output + (region * channelCount + channel) * binCount
                    for bin in 0..<binCount { target[bin] = samples.pool(bin: bin, values, mode: attributes.mode) }
                }
            }
        }
    }
}

/// The sample points of one region's bins: for each, four pixel offsets and bilinear weights.
private struct RegionSamples {
    var offsets: [SIMD4<Int>] = []
    var weights: [SIMD4<Float>] = []
    let samplesPerBin: Int

    init(_ roi: UnsafePointer<Float>, _ attributes: RoiAlignAttributes, height: Int, width: Int) {
        let region = Self.extent(roi, attributes)
        let binHeight = region.height / Float(attributes.outputHeight), binWidth = region.width / Float(attributes.outputWidth)
        let (gridHeight, gridWidth) = Self.grid(roi, attributes)
        let (startX, startY) = (region.x, region.y)
        samplesPerBin = gridHeight * gridWidth
        offsets.reserveCapacity(attributes.outputHeight * attributes.outputWidth * samplesPerBin)
        for binY in 0..<attributes.outputHeight {
            for binX in 0..<attributes.outputWidth {
                for sampleY in 0..<gridHeight {
                    let y = startY + Float(binY) * binHeight + (Float(sampleY) + 0.5) * binHeight / Float(gridHeight)
                    for sampleX in 0..<gridWidth {
                        let x = startX + Float(binX) * binWidth + (Float(sampleX) + 0.5) * binWidth / Float(gridWidth)
                        append(y: y, x: x, height: height, width: width)
                    }
                }
            }
        }
    }

    /// The region's corner and size in pixels.
    private static func extent(_ roi: UnsafePointer<Float>, _ attributes: RoiAlignAttributes) -> (x: Float, y: Float, width: Float, height: Float) {
        let shift: Float = attributes.halfPixel ? 0.5 : 0
        let (x, y) = (roi[0] * attributes.spatialScale - shift, roi[1] * attributes.spatialScale - shift)
        var (width, height) = (roi[2] * attributes.spatialScale - shift - x, roi[3] * attributes.spatialScale - shift - y)
        if !attributes.halfPixel { (width, height) = (max(width, 1), max(height, 1)) }
        return (x, y, width, height)
    }

    /// Sample points per bin along each axis: sampling_ratio, or ⌈bin size⌉ (0 for an empty
    /// or non-finite region; capped at 2^31 so that the caller can refuse it).
    static func grid(_ roi: UnsafePointer<Float>, _ attributes: RoiAlignAttributes) -> (height: Int, width: Int) {
        guard attributes.samplingRatio == 0 else { return (attributes.samplingRatio, attributes.samplingRatio) }
        let region = extent(roi, attributes)
        func count(_ value: Float) -> Int {
            guard value.isFinite, value > 0 else { return 0 }
            return Int(min(value.rounded(.up), Float(1 << 31)))
        }
        return (count(region.height / Float(attributes.outputHeight)), count(region.width / Float(attributes.outputWidth)))
    }

    private mutating func append(y: Float, x: Float, height: Int, width: Int) {
        guard y >= -1, y <= Float(height), x >= -1, x <= Float(width) else {
            offsets.append(.zero)
            weights.append(.zero)
            return
        }
        var (y, x) = (max(y, 0), max(x, 0))
        var (yLow, xLow) = (Int(y), Int(x)), yHigh = yLow + 1, xHigh = xLow + 1
        if yLow >= height - 1 { (yLow, yHigh, y) = (height - 1, height - 1, Float(height - 1)) }
        if xLow >= width - 1 { (xLow, xHigh, x) = (width - 1, width - 1, Float(width - 1)) }
        let (ly, lx) = (y - Float(yLow), x - Float(xLow)), (hy, hx) = (1 - ly, 1 - lx)
        offsets.append(SIMD4(yLow * width + xLow, yLow * width + xHigh, yHigh * width + xLow, yHigh * width + xHigh))
        weights.append(SIMD4(hy * hx, hy * lx, ly * hx, ly * lx))
    }

    func pool(bin: Int, _ values: UnsafePointer<Float>, mode: RoiAlignAttributes.Mode) -> Float {
        let first = bin * samplesPerBin
        switch mode {
        case .average:
            var sum: Float = 0
            for sample in first..<(first + samplesPerBin) { sum += (weighted(sample, values)).sum() }
            return sum / Float(max(samplesPerBin, 1))
        case .max:
            var largest: Float = 0
            for sample in first..<(first + samplesPerBin) {
                let taps = weighted(sample, values)
                let value = max(max(max(taps[0], taps[1]), taps[2]), taps[3])
                largest = sample == first ? value : max(largest, value)
            }
            return largest
        }
    }

    private func weighted(_ sample: Int, _ values: UnsafePointer<Float>) -> SIMD4<Float> {
        let offset = offsets[sample]
        return weights[sample] * SIMD4(values[offset[0]], values[offset[1]], values[offset[2]], values[offset[3]])
    }
}
