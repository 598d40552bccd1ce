import Foundation
import ZooGraph
import ZooTensor

/// CausalConvWithState (opset 27) in float32 or float16: for every batch row and channel, the sequence
/// p = past_state (k-1 positions, zeros when absent) followed by the input (L positions) is
/// convolved with the channel's k weights, y[t] = bias + Σⱼ w[j]·p[t+j] for t < L, then
/// optionally x·sigmoid(x) (silu, swish). The present state is p's last k-1 positions.
/// float16 is widened and summed in float32; the sum is rounded to float16 before the
/// activation, as the spec's function body rounds its Conv's result.
/// Channel rows are spread over threads; each thread builds p in its own buffer.
struct CausalConvolutionKernel: Kernel {
    let rows: Int, channels: Int, length: Int, kernelSize: Int
    let activation: CausalConvolutionActivation
    let isHalf: Bool
    let threads: Int

    static func prepare(_ context: KernelContext, _ activation: CausalConvolutionActivation) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.type(0), weight = try context.type(1)
        guard input.dtype == .float32 || input.dtype == .float16, weight.dtype == input.dtype else {
            throw context.unsupported("input \(input) and weight \(weight) must both be float32 or both float16")
        }
        guard input.rank == 3 else { throw context.fail("input must be [batch, channels, length], got \(input)") }
        let (batch, channels, length) = (input.shape[0], input.shape[1], input.shape[2])
        guard weight.rank == 3, weight.shape[0] == channels, weight.shape[1] == 1, weight.shape[2] >= 1 else {
            throw context.fail("weight must be [\(channels), 1, k] with k ≥ 1, got \(weight)")
        }
        let kernelSize = weight.shape[2]
        if let bias = context.optionalType(2) {
            guard bias.dtype == input.dtype, bias.shape == [channels] else { throw context.fail("bias must be \(input.dtype) [\(channels)], got \(bias)") }
        }
        let state = ValueType(input.dtype, [batch, channels, kernelSize - 1])
        if let past = context.optionalType(3) {
            guard past == state else { throw context.fail("past_state must be \(state), got \(past)") }
        }
        try context.requireAllocatable(input, value: context.node.outputs[0])
        try context.requireAllocatable(state, value: context.node.outputs.count > 1 ? context.node.outputs[1] : "present_state")
        _ = try context.checked("the padded sequence length") { () throws(ArithmeticOverflow) in
            try CheckedArithmetic.add(length, kernelSize)
        }
        let kernel = CausalConvolutionKernel(rows: batch * channels, channels: channels, length: length,
                                             kernelSize: kernelSize, activation: activation,
                                             isHalf: input.dtype == .float16, threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [input, state])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        if isHalf { run(io, Float16.self) } else { run(io, Float.self) }
    }

    private func run<Element: BinaryFloatingPoint>(_ io: KernelIO, _: Element.Type) {
        let input = io.input(0).assumingMemoryBound(to: Element.self), weights = io.input(1).assumingMemoryBound(to: Element.self)
        let output = io.output(0).assumingMemoryBound(to: Element.self)
        let bias = io.optionalInput(2)?.assumingMemoryBound(to: Element.self)
        let past = io.optionalInput(3)?.assumingMemoryBound(to: Element.self)
        let present = io.optionalOutput(1)?.assumingMemoryBound(to: Element.self)
        let stateLength = kernelSize - 1, paddedLength = length + stateLength
        // Work per row in Double: L·k of two large inputs may exceed Int.
        let rowWork = max(1, Double(length) * Double(kernelSize))
        Parallel.forRanges(rows, threads: threads, minimumChunk: max(1, Int(16384 / rowWork))) { range in
            // At least one element, so the buffer has an address even for L = 0 and k = 1.
            var padded = [Float](repeating: 0, count: max(paddedLength, 1))
            padded.withUnsafeMutableBufferPointer { buffer in
                let sequence = buffer.baseAddress!
                for row in range {
                    let w = weights + row % channels * kernelSize
                    if let past { for p in 0..<stateLength { sequence[p] = Float(past[row * stateLength + p]) } }
                    for p in 0..<length { sequence[stateLength + p] = Float(input[row * length + p]) }
                    let y = output + row * length
                    for t in 0..<length {
                        var sum = bias.map { Float($0[row % channels]) } ?? 0
                        for j in 0..<kernelSize { sum += Float(w[j]) * sequence[t + j] }
                        let convolved = Float(Element(sum))
                        y[t] = Element(activation == .none ? convolved : convolved / (1 + exp(-convolved)))
                    }
                    if let present { for p in 0..<stateLength { present[row * stateLength + p] = Element(sequence[length + p]) } }
                }
            }
        }
    }
}
