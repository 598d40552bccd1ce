import Foundation
import ZooGraph

/// MaxPool (with its optional Indices output), AveragePool and LpPool over 1 to 3 spatial
/// axes (NCW, NCHW, NCDHW, the shorter ones treated as having leading axes of size 1), with
/// explicit or automatic pads, dilations, ceil_mode and count_include_pad. Each (batch,
/// channel) plane is independent, so planes are spread over threads.
struct PoolingKernel: Kernel {
    enum Reduction: Sendable, Equatable {
        case max, average(countIncludePad: Bool), lp(p: Int)
    }

    let reduction: Reduction
    let planeCount: Int
    /// Depth, height and width geometry; missing leading axes have size 1.
    let geometry: SpatialGeometry
    /// Whether the Indices output is written, and in column-major order (storage_order 1).
    let writesIndices: Bool
    let columnMajorIndices: Bool
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: PoolAttributes, isMax: Bool) throws(RuntimeError) -> PreparedKernel {
        if isMax, let eightBit = try EightBitMaxPoolKernel.prepareIfEightBit(context, attributes) { return eightBit }
        return try prepare(context, attributes, reduction: isMax ? .max : .average(countIncludePad: attributes.countIncludePad))
    }

    static func prepare(_ context: KernelContext, _ attributes: PoolAttributes, reduction: Reduction) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard (3...5).contains(input.rank) else { throw context.unsupported("only 1-D, 2-D and 3-D pools, got \(input)") }
        if case .lp(let p) = reduction, p < 1 { throw context.fail("p is \(p), must be at least 1") }
        let writesIndices = context.node.outputs.count > 1 && !context.node.outputs[1].isEmpty
        let geometry = try SpatialGeometry(
            input: Array(input.shape[2...]), kernel: attributes.kernelShape, strides: attributes.strides,
            pads: attributes.pads, dilations: attributes.dilations, autoPad: attributes.autoPad,
            ceilMode: attributes.ceilMode, context)
        if !writesIndices, oneDNNComputes(reduction, geometry, ceilMode: attributes.ceilMode) {
            return try DNNLPoolingKernel.prepare(context, attributes, isMax: reduction == .max)
        }
        let outputShape = Array(input.shape[..<2]) + geometry.output
        var outputs = [ValueType(.float32, outputShape)]
        if writesIndices { outputs.append(ValueType(.int64, outputShape)) }
        try context.requireAllocatable(outputs[0], value: context.node.outputs[0])
        let kernel = PoolingKernel(reduction: reduction, planeCount: input.shape[0] * input.shape[1],
                                   geometry: SpatialGeometry(lifting: geometry, to: 3), writesIndices: writesIndices,
                                   columnMajorIndices: attributes.storageOrder == 1, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: outputs)
    }

    /// Whether oneDNN's pooling gives this pool's ONNX result with bounded work: a max or an
    /// average (undilated, and not counting padding with ceil_mode, where oneDNN divides by
    /// the whole window), whose windows and strides fit in the input and whose pads are
    /// smaller than the window (oneDNN refuses strides near 2^63). oneDNN visits every tap of a window, so windows larger than the
    /// input (a kernel of 2^31 over 8×8) stay here, where only the taps inside are visited.
    private static func oneDNNComputes(_ reduction: Reduction, _ geometry: SpatialGeometry, ceilMode: Bool) -> Bool {
        switch reduction {
        case .max: break
        case .average(let countIncludePad):
            guard geometry.dilations.allSatisfy({ $0 == 1 }), !(ceilMode && countIncludePad) else { return false }
        case .lp: return false
        }
        return geometry.input.indices.allSatisfy { axis in
            let window = geometry.dilations[axis] * (geometry.kernel[axis] - 1) + 1
            guard window <= geometry.input[axis], geometry.strides[axis] <= geometry.input[axis],
                  geometry.padsBegin[axis] < window else { return false }
            // The end padding oneDNN is given (DNNLPoolingKernel): what makes its size formula
            // give ours, beyond the declared pads with ceil_mode.
            let (reach, overflow) = (geometry.output[axis] - 1).multipliedReportingOverflow(by: geometry.strides[axis])
            return !overflow && reach + window - geometry.input[axis] - geometry.padsBegin[axis] < window
        }
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        let indices = writesIndices ? io.output(1).assumingMemoryBound(to: Int64.self) : nil
        let inputPlane = geometry.input.reduce(1, *), outputPlane = geometry.output.reduce(1, *)
        Parallel.forRanges(planeCount, threads: threads, minimumChunk: max(1, 4096 / max(outputPlane, 1))) { range in
            for plane in range {
                pool(input + plane * inputPlane, output + plane * outputPlane,
                     indices: indices.map { ($0 + plane * outputPlane, plane * inputPlane) })
            }
        }
    }

    /// Visits only the taps inside the input (a window may be far larger than the plane:
    /// a kernel of 2^31 over 8×8); count_include_pad counts the taps inside the padding too.
    /// Indices are flat positions in the whole input tensor (`planeOffset` + the position
    /// in the plane), as onnxruntime writes them.
    private func pool(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
                      indices: (pointer: UnsafeMutablePointer<Int64>, planeOffset: Int)?) {
        let (depth, height, width) = (geometry.input[0], geometry.input[1], geometry.input[2])
        var index = 0
        for outputDepth in 0..<geometry.output[0] {
            let depthStart = outputDepth * geometry.strides[0] - geometry.padsBegin[0]
            let depths = taps(start: depthStart, axis: 0, below: depth)
            let paddedDepths = taps(start: depthStart, axis: 0, below: depth + geometry.padsEnd[0]).upperBound
            for outputRow in 0..<geometry.output[1] {
                let rowStart = outputRow * geometry.strides[1] - geometry.padsBegin[1]
                let rows = taps(start: rowStart, axis: 1, below: height)
                let paddedRows = taps(start: rowStart, axis: 1, below: height + geometry.padsEnd[1]).upperBound
                for outputColumn in 0..<geometry.output[2] {
                    let columnStart = outputColumn * geometry.strides[2] - geometry.padsBegin[2]
                    let columns = taps(start: columnStart, axis: 2, below: width)
                    let paddedColumns = taps(start: columnStart, axis: 2, below: width + geometry.padsEnd[2]).upperBound
                    var maximum = -Float.infinity, sum: Float = 0, argument = (0, 0, 0)
                    for kernelDepth in depths {
                        let z = depthStart + kernelDepth * geometry.dilations[0]
                        for kernelRow in rows {
                            let y = rowStart + kernelRow * geometry.dilations[1]
                            for kernelColumn in columns {
                                let x = columnStart + kernelColumn * geometry.dilations[2]
                                let value = input[(z * height + y) * width + x]
                                switch reduction {
                                case .max:
                                    if !maximum.isNaN && (value > maximum || value.isNaN) { (maximum, argument) = (value, (z, y, x)) }
                                case .average: sum += value
                                case .lp(let p): sum += p == 2 ? value * value : Foundation.pow(Swift.abs(value), Float(p))
                                }
                            }
                        }
                    }
                    switch reduction {
                    case .max:
                        output[index] = maximum
                        if let indices {
                            let (z, y, x) = argument
                            let position = columnMajorIndices ? (x * height + y) * depth + z : (z * height + y) * width + x
                            indices.pointer[index] = Int64(indices.planeOffset + position)
                        }
                    case .average(let countIncludePad):
                        let count = countIncludePad ? paddedDepths * paddedRows * paddedColumns
                                                    : depths.count * rows.count * columns.count
                        output[index] = sum / Float(max(count, 1))
                    case .lp(let p):
                        output[index] = p == 2 ? sum.squareRoot() : p == 1 ? sum : Foundation.pow(sum, 1 / Float(p))
                    }
                    index += 1
                }
            }
        }
    }

    /// The taps k of `axis` whose position start + k·dilation lies in 0..<end (start ≥ −padBegin,
    /// so every tap before the first is in the begin padding).
    private func taps(start: Int, axis: Int, below end: Int) -> Range<Int> {
        let (kernel, dilation) = (geometry.kernel[axis], geometry.dilations[axis])
        // The first tap at or beyond `position`, written without position − start + dilation,
        // which overflows for dilations near 2^63.
        func firstTap(atLeast position: Int) -> Int {
            position <= start ? 0 : min((position - start - 1) / dilation + 1, kernel)
        }
        let first = firstTap(atLeast: 0)
        return first..<max(first, firstTap(atLeast: end))
    }
}

extension SpatialGeometry {
    /// The geometry with leading spatial axes of size 1 (no padding) up to `count` axes.
    init(lifting geometry: SpatialGeometry, to count: Int) {
        let missing = count - geometry.input.count
        func ones(_ values: [Int], _ fill: Int = 1) -> [Int] { Array(repeating: fill, count: max(missing, 0)) + values }
        self = geometry
        input = ones(geometry.input)
        kernel = ones(geometry.kernel)
        strides = ones(geometry.strides)
        dilations = ones(geometry.dilations)
        padsBegin = ones(geometry.padsBegin, 0)
        padsEnd = ones(geometry.padsEnd, 0)
        output = ones(geometry.output)
    }
}

/// GlobalAveragePool and GlobalMaxPool: one value per (batch, channel) plane.
struct GlobalPoolingKernel: Kernel {
    let isMax: Bool
    let planeCount: Int
    let planeSize: Int

    static func prepare(_ context: KernelContext, isMax: Bool) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank >= 3 else { throw context.fail("input must have spatial axes, got \(input)") }
        let shape = Array(input.shape[..<2]) + Array(repeating: 1, count: input.rank - 2)
        let kernel = GlobalPoolingKernel(isMax: isMax, planeCount: input.shape[0] * input.shape[1],
                                         planeSize: input.shape[2...].reduce(1, *))
        return PreparedKernel(kernel: kernel, outputTypes: [ValueType(.float32, shape)])
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        for plane in 0..<planeCount {
            let values = UnsafeBufferPointer(start: input + plane * planeSize, count: planeSize)
            if isMax {
                output[plane] = values.reduce(-Float.infinity) { $0.isNaN || $1 <= $0 ? $0 : $1 }
            } else {
                var sums = Float16x(repeating: 0), index = 0
                let raw = UnsafeRawPointer(values.baseAddress!)
                while index + 16 <= planeSize { sums += raw.vector(at: index); index += 16 }
                var total = sums.sum()
                while index < planeSize { total += values[index]; index += 1 }
                output[plane] = total / Float(planeSize)
            }
        }
    }
}
