import ZooGraph
import ZooTensor

/// DeformConv over 2-D images (float32), as torchvision's deform_conv2d and onnxruntime
/// compute it: for each image and group, the columns of an im2col are read at each kernel
/// tap's place moved by its offset (dy, dx pairs per tap, per offset group of channels),
/// bilinearly, a neighbour outside the image reading 0 and a point a pixel or more outside
/// reading 0; each is scaled by its mask when there is one. The output is the group's
/// weights `[oC/group, C/group·kH·kW]` times the columns `[C/group·kH·kW, oH·oW]`, plus the
/// bias. Columns are built over threads by rows, the product over threads by output channel;
/// one column buffer (scratch) serves every image and group in turn.
struct DeformConvKernel: Kernel {
    let geometry: DeformConvGeometry
    let batchCount: Int
    let channelCount: Int
    let filterCount: Int
    let group: Int
    let offsetGroup: Int
    let image: (height: Int, width: Int)
    let hasBias: Bool
    let hasMask: Bool
    let threads: Int

    private var taps: Int { geometry.kernel[0] * geometry.kernel[1] }
    private var pointCount: Int { geometry.output[0] * geometry.output[1] }
    /// Rows of one group's columns: its channels times the kernel taps.
    private var rowCount: Int { channelCount / group * taps }

    var scratchByteCount: Int { MemoryPlanner.aligned(rowCount * pointCount * MemoryLayout<Float>.stride) }

    static func prepare(_ context: KernelContext, _ attributes: DeformConvAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0), weight = try context.floatType(1), offset = try context.floatType(2)
        guard input.rank == 4, weight.rank == 4 else {
            throw context.unsupported("only 2-D deformable convolutions are supported (X \(input), W \(weight))")
        }
        let geometry: DeformConvGeometry
        do { geometry = try DeformConvGeometry(input: Array(input.shape[2...]), kernel: Array(weight.shape[2...]), attributes) } catch {
            throw context.fail(error.description)
        }
        let (batch, channels, filters) = (input.shape[0], input.shape[1], weight.shape[0])
        let (group, offsetGroup) = (attributes.group, attributes.offsetGroup)
        guard group >= 1, offsetGroup >= 1, channels == weight.shape[1] * group, filters % group == 0, channels % offsetGroup == 0 else {
            throw context.fail("X \(input) and W \(weight) do not fit group \(group) and offset_group \(offsetGroup)")
        }
        let taps = geometry.kernel[0] * geometry.kernel[1]
        let expectedOffset = [batch, offsetGroup * 2 * taps] + geometry.output
        guard offset.shape == expectedOffset else { throw context.fail("offset must be \(expectedOffset), got \(offset)") }
        let bias = context.optionalType(3), mask = context.optionalType(4)
        if let bias, bias.shape != [filters] || bias.dtype != .float32 { throw context.fail("B must be float32 [\(filters)], got \(bias)") }
        let expectedMask = [batch, offsetGroup * taps] + geometry.output
        if let mask, mask.shape != expectedMask || mask.dtype != .float32 { throw context.fail("mask must be float32 \(expectedMask), got \(mask)") }
        _ = try context.checked("the column buffer of one group") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.product([channels / group, taps, geometry.output[0], geometry.output[1], MemoryLayout<Float>.stride])
        }
        let kernel = DeformConvKernel(geometry: geometry, batchCount: batch, channelCount: channels, filterCount: filters, group: group,
                                      offsetGroup: offsetGroup, image: (input.shape[2], input.shape[3]), hasBias: bias != nil,
                                      hasMask: mask != nil, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, [batch, filters] + geometry.output)])
    }

    func run(_ io: KernelIO) {
        guard let scratch = io.scratch else { return }
        let columns = UnsafeSendable(scratch.assumingMemoryBound(to: Float.self))
        let output = io.outputFloats(0), weights = io.floats(1)
        let bias = hasBias ? io.optionalInput(3)?.assumingMemoryBound(to: Float.self) : nil
        let (groupChannels, groupFilters, points, rows) = (channelCount / group, filterCount / group, pointCount, rowCount)
        for batch in 0..<batchCount {
            for groupIndex in 0..<group {
                Parallel.forRanges(rows, threads: threads, minimumChunk: max(1, 4096 / max(points, 1))) { range in
                    for row in range {
                        let channel = groupIndex * groupChannels + row / taps
                        fillColumnRow(columns.value + row * points, io, batch: batch, channel: channel, tap: row % taps)
                    }
                }
                Parallel.forRanges(groupFilters, threads: threads, minimumChunk: max(1, 65536 / max(rows * points, 1))) { range in
                    for filter in range {
                        let absolute = groupIndex * groupFilters + filter
                        let target = output + (batch * filterCount + absolute) * points
                        let start = bias?[absolute] ?? 0
                        for point in 0..<points { target[point] = start }
                        let row = weights + absolute * rows
                        for index in 0..<rows {
                            let (factor, source) = (row[index], columns.value + index * points)
                            for point in 0..<points { target[point] += factor * source[point] }
                        }
                    }
                }
            }
        }
    }

    /// One column row: channel `channel`'s values at kernel tap `tap` for every output point.
    private func fillColumnRow(_ destination: UnsafeMutablePointer<Float>, _ io: KernelIO, batch: Int, channel: Int, tap: Int) {
        let (outputHeight, outputWidth) = (geometry.output[0], geometry.output[1]), points = pointCount
        let offsetIndex = channel / (channelCount / offsetGroup)
        let plane = io.floats(0) + (batch * channelCount + channel) * image.height * image.width
        let offsets = io.floats(2) + ((batch * offsetGroup + offsetIndex) * 2 * taps + 2 * tap) * points
        let mask = hasMask ? io.optionalInput(4).map { $0.assumingMemoryBound(to: Float.self) + ((batch * offsetGroup + offsetIndex) * taps + tap) * points } : nil
        let (tapY, tapX) = (tap / geometry.kernel[1], tap % geometry.kernel[1])
        for y in 0..<outputHeight {
            let baseY = Float(y * geometry.strides[0] - geometry.padsBegin[0] + tapY * geometry.dilations[0])
            for x in 0..<outputWidth {
                let point = y * outputWidth + x
                let baseX = Float(x * geometry.strides[1] - geometry.padsBegin[1] + tapX * geometry.dilations[1])
                let value = bilinear(plane, y: baseY + offsets[point], x: baseX + offsets[points + point])
                destination[point] = mask.map { value * $0[point] } ?? value
            }
        }
    }

    private func bilinear(_ plane: UnsafePointer<Float>, y: Float, x: Float) -> Float {
        let (height, width) = image
        guard y > -1, y < Float(height), x > -1, x < Float(width) else { return 0 }
        let (lowY, lowX) = (Int(y.rounded(.down)), Int(x.rounded(.down)))
        let (fractionY, fractionX) = (y - Float(lowY), x - Float(lowX))
        func pixel(_ row: Int, _ column: Int) -> Float {
            row >= 0 && row < height && column >= 0 && column < width ? plane[row * width + column] : 0
        }
        return (1 - fractionY) * (1 - fractionX) * pixel(lowY, lowX) + (1 - fractionY) * fractionX * pixel(lowY, lowX + 1)
            + fractionY * (1 - fractionX) * pixel(lowY + 1, lowX) + fractionY * fractionX * pixel(lowY + 1, lowX + 1)
    }
}
