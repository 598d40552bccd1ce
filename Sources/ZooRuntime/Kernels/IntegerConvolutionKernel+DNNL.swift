import ZooTensor

// The oneDNN path of ConvInteger and QLinearConv: per image and group, the input unfolded
// with one row per output position (padding holds the zero point, so that it contributes 0
// once oneDNN subtracts it) times the group's weights transposed, as an int8 matmul whose
// int32 result is [positions × filters]; each filter's column then goes to its output plane.
extension IntegerConvolutionKernel {
    /// Scratch: the unfolded input (bytes), every group's transposed weights (bytes), the
    /// accumulators, the multipliers, the input's zero point as int32, then oneDNN's
    /// scratchpad, 64-byte aligned.
    var primitiveScratchOffset: Int {
        let bytes = outputSpatial * unfoldedRows + filters * unfoldedRows
        return ((bytes + 3) / 4 * 4 + (outputSpatial * filters / group + filters + 1) * 4 + 63) / 64 * 64
    }

    func run(_ io: KernelIO, _ primitive: IntegerMatMulPrimitive, _ scratch: UnsafeMutableRawPointer) throws(RuntimeError) {
        let (taps, positions, groupFilters, groupChannels) = (unfoldedRows, outputSpatial, filters / group, channels / group)
        let unfolded = scratch
        let weights = (scratch + positions * taps).assumingMemoryBound(to: Int8.self)
        let accumulators = (scratch + (positions * taps + filters * taps + 3) / 4 * 4).assumingMemoryBound(to: Int32.self)
        let multipliers = UnsafeMutableRawPointer(accumulators + positions * groupFilters).assumingMemoryBound(to: Float.self)
        let zeroPoint = UnsafeMutableRawPointer(multipliers + filters).assumingMemoryBound(to: Int32.self)
        zeroPoint.pointee = reader(io, 2).integer(0)
        if requantized { try prepareMultipliers(io, into: multipliers) }
        // Weights [filters, taps] → per group [taps, group filters].
        let source = io.input(weightIndex).assumingMemoryBound(to: Int8.self)
        for filter in 0..<filters {
            let (g, local) = (filter / groupFilters, filter % groupFilters)
            for tap in 0..<taps { weights[(g * taps + tap) * groupFilters + local] = source[filter * taps + tap] }
        }
        let bias = reader(io, 8), yZero = Float(reader(io, 7).integer(0))
        for image in 0..<batch {
            for g in 0..<group {
                let input = io.input(0) + (image * channels + g * groupChannels) * inputSpatial
                if inputType == .int8 {
                    unfoldByPosition(input.assumingMemoryBound(to: Int8.self), padding: Int8(truncatingIfNeeded: zeroPoint.pointee),
                                     into: unfolded.assumingMemoryBound(to: Int8.self))
                } else {
                    unfoldByPosition(input.assumingMemoryBound(to: UInt8.self), padding: UInt8(truncatingIfNeeded: zeroPoint.pointee),
                                     into: unfolded.assumingMemoryBound(to: UInt8.self))
                }
                try primitive.execute(a: unfolded, b: weights + g * taps * groupFilters, c: accumulators, zeroPoint: zeroPoint, io,
                                      scratchOffset: primitiveScratchOffset)
                for local in 0..<groupFilters {
                    let filter = g * groupFilters + local
                    let plane = (image * filters + filter) * positions
                    let column = accumulators + local
                    guard requantized else {
                        let output = io.output(0).assumingMemoryBound(to: Int32.self) + plane
                        for position in 0..<positions { output[position] = column[position * groupFilters] }
                        continue
                    }
                    let channelBias = parameterTypes[8] == nil ? 0 : bias.integer(filter)
                    if outputType == .int8 {
                        IntegerArithmetic.requantize(column, count: positions, stride: groupFilters, bias: channelBias, multiplier: multipliers[filter],
                                                     zeroPoint: yZero, into: io.output(0).assumingMemoryBound(to: Int8.self) + plane)
                    } else {
                        IntegerArithmetic.requantize(column, count: positions, stride: groupFilters, bias: channelBias, multiplier: multipliers[filter],
                                                     zeroPoint: yZero, into: io.output(0).assumingMemoryBound(to: UInt8.self) + plane)
                    }
                }
            }
        }
    }

    /// im2col transposed: row p (an output position) holds the input value each tap reads
    /// for it, `padding` where it reads outside the input.
    private func unfoldByPosition<E: FixedWidthInteger>(_ source: UnsafePointer<E>, padding: E, into unfolded: UnsafeMutablePointer<E>) {
        let (depth, height, width) = (input[0], input[1], input[2])
        let (outputHeight, outputWidth) = (output[1], output[2])
        let taps = unfoldedRows
        Parallel.forRanges(outputSpatial, threads: threads, minimumChunk: max(1, (1 << 15) / max(taps, 1))) { range in
            for position in range {
                let (od, oh, ow) = (position / (outputHeight * outputWidth), position / outputWidth % outputHeight, position % outputWidth)
                let row = unfolded + position * taps
                for tap in 0..<taps {
                    let channel = tap / kernelArea, offset = tap % kernelArea
                    let (kd, kh, kw) = (offset / (kernel[1] * kernel[2]), offset / kernel[2] % kernel[1], offset % kernel[2])
                    let id = od * strides[0] - padsBegin[0] + kd * dilations[0]
                    let ih = oh * strides[1] - padsBegin[1] + kh * dilations[1]
                    let iw = ow * strides[2] - padsBegin[2] + kw * dilations[2]
                    let inside = id >= 0 && id < depth && ih >= 0 && ih < height && iw >= 0 && iw < width
                    row[tap] = inside ? source[channel * depth * height * width + (id * height + ih) * width + iw] : padding
                }
            }
        }
    }
}
