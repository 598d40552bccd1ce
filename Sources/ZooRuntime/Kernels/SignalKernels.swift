import Foundation
import ZooGraph
import ZooTensor

/// Kernels of SignalOp. DFT and STFT read any floating dtype, transform in Double with
/// `FourierTransform` and write the input's dtype; a window is computed once at compile time.
/// Sizing operands (dft_length, frame_step, frame_length, the window size) must be constants
/// once shapes are known; a DFT axis given as a run-time input is read when the kernel runs,
/// which only a two-sided transform of the default length allows (its shape does not depend
/// on the axis).
enum SignalKernels {
    static func prepare(_ context: KernelContext, _ op: SignalOp) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        switch op {
        case .dft(let inverse, let onesided, let axis): return try prepareDFT(context, inverse: inverse, onesided: onesided, axis: axis)
        case .stft(let onesided): return try prepareSTFT(context, onesided: onesided)
        case .window(let function, let periodic, let dtype): return try prepareWindow(context, function, periodic: periodic, dtype: dtype)
        case .melWeightMatrix(let dtype): return try MelWeightMatrix.prepare(context, dtype: dtype)
        }
    }

    private static func scalar(_ context: KernelContext, _ index: Int, role: String, minimum: Int) throws(RuntimeError) -> Int? {
        guard let values = try context.constantIntegers(index, role: role) else { return nil }
        guard values.count == 1, values[0] >= minimum else {
            throw context.fail("\(role) '\(context.node.inputs[index])' must be one value of at least \(minimum), got \(values)")
        }
        return values[0]
    }

    /// A transform of `points` points, once its tables (under 14n Doubles: Bluestein pads to
    /// m < 4n) and each thread's buffers (under 10n) are known to fit in memory.
    private static func plan(_ context: KernelContext, points: Int) throws(RuntimeError) -> FourierTransform {
        try context.requireAllocatable(ValueType(.float64, [points, 14 + 10 * context.threads]),
                                       value: "\(context.node.outputs[0]) (transform tables and buffers)")
        return FourierTransform(length: points)
    }

    private static func floating(_ context: KernelContext, _ index: Int) throws(RuntimeError) -> (ValueType, any TensorElement.Type) {
        let input = try context.type(index)
        guard let element = ElementTypes.floating(input.dtype) else {
            throw context.unsupported("input '\(context.node.inputs[index])' is \(input.dtype); this kernel takes floating-point tensors")
        }
        return (input, element)
    }

    private static func prepareDFT(_ context: KernelContext, inverse: Bool, onesided: Bool, axis: Int?) throws(RuntimeError) -> PreparedKernel {
        let (input, element) = try floating(context, 0)
        guard input.rank >= 2, let parts = input.shape.last, parts == 1 || parts == 2 else {
            throw context.fail("input \(input) must end in an axis of 1 (real) or 2 (complex) values")
        }
        let length = try scalar(context, 1, role: "dft_length", minimum: 1)
        guard let axis else {
            guard !onesided, length == nil else {
                // One-sided or with dft_length, the axis decides the output's shape.
                throw context.runTimeValue(2, role: "axis")
            }
            let output = ValueType(input.dtype, Array(input.shape.dropLast()) + [2])
            let plans = try (0...(input.rank - 2)).map { (axis: Int) throws(RuntimeError) in try plan(context, points: input.shape[axis]) }
            let axisType = try context.type(2)
            guard axisType.dtype == .int64 || axisType.dtype == .int32, axisType.elementCount == 1 else {
                throw context.fail("axis '\(context.node.inputs[2])' must be one int64 or int32 value, got \(axisType)")
            }
            let kernel = makeDFT(element, context, input: input.shape, plans: plans, axis: .runTime(int32: axisType.dtype == .int32),
                                 inverse: inverse, onesided: false)
            return PreparedKernel(kernel: kernel, outputTypes: [output])
        }
        guard let position = SignalOp.resolvedDFTAxis(axis, rank: input.rank) else {
            throw context.fail("axis \(axis) is outside [-\(input.rank), -2] ∪ [0, \(input.rank - 2)]")
        }
        let available = input.shape[position]
        let points: Int
        if let length { points = length } else if inverse && onesided {
            guard available >= 2 else { throw context.fail("an inverse one-sided DFT of \(available) bins has no default length; give dft_length") }
            points = 2 * (available - 1)
        } else {
            points = available
        }
        var shape = input.shape
        shape[position] = onesided && !inverse ? points / 2 + 1 : points
        shape[input.rank - 1] = inverse && onesided ? 1 : 2
        let output = ValueType(input.dtype, shape)
        try context.requireAllocatable(output, value: context.node.outputs[0])
        var plans = Array(repeating: FourierTransform(length: 1), count: input.rank - 1)
        plans[position] = try plan(context, points: points)
        let kernel = makeDFT(element, context, input: input.shape, plans: plans, axis: .fixed(position), inverse: inverse,
                             onesided: onesided)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    private static func makeDFT<Element: TensorElement>(_: Element.Type, _ context: KernelContext, input: [Int], plans: [FourierTransform],
                                                        axis: DFTAxis, inverse: Bool, onesided: Bool) -> any Kernel {
        DFTKernel<Element>(node: context.node.name, inputShape: input, plans: plans, axis: axis, inverse: inverse, onesided: onesided,
                           threads: context.threads)
    }

    private static func prepareSTFT(_ context: KernelContext, onesided: Bool) throws(RuntimeError) -> PreparedKernel {
        let (signal, element) = try floating(context, 0)
        guard signal.rank == 3, signal.shape[2] == 1 || signal.shape[2] == 2 else {
            throw context.fail("signal \(signal) must be [batch, length, 1 or 2]")
        }
        guard let step = try scalar(context, 1, role: "frame_step", minimum: 1) else { throw context.fail("frame_step is required") }
        let window = context.optionalType(2)
        if let window, window.rank != 1 || window.dtype != signal.dtype {
            throw context.fail("window \(window) must be 1-D of the signal's dtype \(signal.dtype)")
        }
        let frameLength = try scalar(context, 3, role: "frame_length", minimum: 1)
        guard let points = frameLength ?? window?.shape[0], points >= 1 else { throw context.fail("STFT needs a window or a frame_length") }
        if let window, window.shape[0] != points { throw context.fail("window has \(window.shape[0]) points; frame_length is \(points)") }
        guard signal.shape[1] >= points else { throw context.fail("signal has \(signal.shape[1]) samples, fewer than one frame of \(points)") }
        let frames = (signal.shape[1] - points) / step + 1
        let output = ValueType(signal.dtype, [signal.shape[0], frames, onesided ? points / 2 + 1 : points, 2])
        try context.requireAllocatable(output, value: context.node.outputs[0])
        let kernel = makeSTFT(element, signal: signal.shape, plan: try plan(context, points: points), step: step, frames: frames,
                              bins: output.shape[2], windowed: window != nil, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    private static func makeSTFT<Element: TensorElement>(_: Element.Type, signal: [Int], plan: FourierTransform, step: Int, frames: Int,
                                                         bins: Int, windowed: Bool, threads: Int) -> any Kernel {
        STFTKernel<Element>(batch: signal[0], length: signal[1], parts: signal[2], plan: plan, step: step, frames: frames, bins: bins,
                            windowed: windowed, threads: threads)
    }

    private static func prepareWindow(_ context: KernelContext, _ function: WindowFunction, periodic: Bool, dtype: DType)
        throws(RuntimeError) -> PreparedKernel
    {
        guard let size = try scalar(context, 0, role: "size", minimum: 0) else { throw context.fail("size is required") }
        let output = ValueType(dtype, [size])
        try context.requireAllocatable(output, value: context.node.outputs[0])
        guard let element = ElementTypes.floating(dtype) ?? ElementTypes.integer(dtype) else {
            throw context.unsupported("output_datatype \(dtype) is not a number type")
        }
        let (a0, a1, a2) = function.coefficients
        let period = Double(periodic ? size : size - 1)
        let values = (0..<size).map { n -> Double in
            let angle = 2 * Double.pi * Double(n) / period
            return a0 - a1 * cos(angle) + a2 * cos(2 * angle)
        }
        let tensor: Tensor
        do { tensor = try makeTensor(element, values) } catch { throw .tensor(error) }
        return PreparedKernel(kernel: FillKernel(value: tensor, repeats: 1), outputTypes: [output])
    }

    private static func makeTensor<Element: TensorElement>(_: Element.Type, _ values: [Double]) throws(TensorError) -> Tensor {
        try Tensor(shape: [values.count], scalars: values.map { Element(fromDouble: $0) })
    }
}

/// DFT along one axis: each line (every index of the other axes) is loaded as n complex
/// values (cut or zero-padded to dft_length), transformed, scaled by 1/n when inverse, and
/// written whole, or its first n/2 + 1 bins (one-sided), or its real part (inverse one-sided,
/// whose input holds the first bins of a Hermitian spectrum completed here). Lines are
/// spread over threads. With the axis given at run time, `plans` holds one per axis.
/// Where a DFT kernel finds its axis.
enum DFTAxis: Sendable {
    case fixed(Int)
    /// Input 2, a scalar of int32 or int64.
    case runTime(int32: Bool)
}

struct DFTKernel<Element: TensorElement>: Kernel {
    let node: String
    let inputShape: [Int]
    let plans: [FourierTransform]
    let axis: DFTAxis
    let inverse: Bool
    let onesided: Bool
    let threads: Int

    func run(_ io: KernelIO) throws(RuntimeError) {
        let rank = inputShape.count
        let axis: Int
        switch self.axis {
        case .fixed(let position): axis = position
        case .runTime(let int32):
            let requested = int32 ? Int(io.input(2).load(as: Int32.self)) : Int(io.input(2).load(as: Int64.self))
            guard let resolved = SignalOp.resolvedDFTAxis(requested, rank: rank) else {
                throw .shape(node: node, op: "DFT", message: "axis \(requested) is outside [-\(rank), -2] ∪ [0, \(rank - 2)]")
            }
            axis = resolved
        }
        let plan = plans[axis]
        let parts = inputShape[rank - 1], available = inputShape[axis], points = plan.length
        let outer = inputShape[..<axis].reduce(1, *), inner = inputShape[(axis + 1)..<(rank - 1)].reduce(1, *)
        let outputLength = onesided && !inverse ? points / 2 + 1 : points
        let outputParts = inverse && onesided ? 1 : 2
        let input = io.input(0).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let (inverse, onesided) = (inverse, onesided)
        Parallel.forRanges(outer * inner, threads: threads, minimumChunk: max(1, 8192 / max(points, 1))) { range in
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 2 * points + plan.scratchCount)
            defer { buffer.deallocate() }
            let (re, im, scratch) = (buffer, buffer + points, buffer + 2 * points)
            for line in range {
                let (o, i) = line.quotientAndRemainder(dividingBy: inner)
                func load(_ k: Int) -> (Double, Double) {
                    let base = ((o * available + k) * inner + i) * parts
                    return (input[base].doubleValue, parts == 2 ? input[base + 1].doubleValue : 0)
                }
                if inverse && onesided {
                    // Bins 0…n/2 from the input; the rest mirrored as conjugates.
                    for k in 0..<points { (re[k], im[k]) = (0, 0) }
                    for k in 0..<min(available, points / 2 + 1) {
                        (re[k], im[k]) = load(k)
                        if k > 0 && points - k > k { (re[points - k], im[points - k]) = (re[k], -im[k]) }
                    }
                } else {
                    for k in 0..<points { (re[k], im[k]) = k < available ? load(k) : (0, 0) }
                }
                plan.transform(re, im, inverse: inverse, scratch: scratch)
                let scale = inverse ? 1 / Double(points) : 1
                for k in 0..<outputLength {
                    let base = ((o * outputLength + k) * inner + i) * outputParts
                    output[base] = Element(fromDouble: re[k] * scale)
                    if outputParts == 2 { output[base + 1] = Element(fromDouble: im[k] * scale) }
                }
            }
        }
    }
}

/// STFT: frame f of batch entry b is the signal's points [f·step, f·step + n), times the
/// window when given, transformed forward; its first `bins` bins are written. Frames are
/// spread over threads.
struct STFTKernel<Element: TensorElement>: Kernel {
    let batch: Int, length: Int, parts: Int
    let plan: FourierTransform
    let step: Int, frames: Int, bins: Int
    let windowed: Bool
    let threads: Int

    func run(_ io: KernelIO) {
        let signal = io.input(0).assumingMemoryBound(to: Element.self)
        let window = windowed ? io.input(2).assumingMemoryBound(to: Element.self) : nil
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let points = plan.length
        Parallel.forRanges(batch * frames, threads: threads, minimumChunk: max(1, 8192 / max(points, 1))) { range in
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 2 * points + plan.scratchCount)
            defer { buffer.deallocate() }
            let (re, im, scratch) = (buffer, buffer + points, buffer + 2 * points)
            for index in range {
                let (b, f) = index.quotientAndRemainder(dividingBy: frames)
                for j in 0..<points {
                    let base = (b * length + f * step + j) * parts
                    let weight = window.map { $0[j].doubleValue } ?? 1
                    re[j] = signal[base].doubleValue * weight
                    im[j] = parts == 2 ? signal[base + 1].doubleValue * weight : 0
                }
                plan.transform(re, im, inverse: false, scratch: scratch)
                for k in 0..<bins {
                    output[(index * bins + k) * 2] = Element(fromDouble: re[k])
                    output[(index * bins + k) * 2 + 1] = Element(fromDouble: im[k])
                }
            }
        }
    }
}
