import CDNNL

/// A compiled operation for one node at one set of shapes. Kernels are immutable, so a plan
/// can run on several threads at once; everything a run writes lives in the buffers the
/// run passes in.
protocol Kernel: Sendable {
    /// Bytes of temporary memory one execution needs (oneDNN scratchpad, packed rows).
    var scratchByteCount: Int { get }
    func run(_ io: KernelIO) throws(RuntimeError)
}

extension Kernel {
    var scratchByteCount: Int { 0 }
}

/// The buffers of one kernel execution: input and output addresses (an absent optional
/// operand is nil), scratch memory, and the run's oneDNN stream.
struct KernelIO {
    let inputs: UnsafeBufferPointer<UnsafeRawPointer?>
    let outputs: UnsafeBufferPointer<UnsafeMutableRawPointer?>
    let scratch: UnsafeMutableRawPointer?
    let stream: DNNLStream?
    let threads: Int

    func input(_ index: Int) -> UnsafeRawPointer {
        inputs[index]!  // the kernel factory only builds kernels whose required inputs are present
    }

    func optionalInput(_ index: Int) -> UnsafeRawPointer? {
        index < inputs.count ? inputs[index] : nil
    }

    func output(_ index: Int) -> UnsafeMutableRawPointer {
        outputs[index]!  // the plan gives every output a buffer unless its name is empty
    }

    /// An output the graph may not use (LSTM's Y, Y_h, Y_c; Dropout's mask).
    func optionalOutput(_ index: Int) -> UnsafeMutableRawPointer? {
        index < outputs.count ? outputs[index] : nil
    }

    func floats(_ index: Int) -> UnsafePointer<Float> { input(index).assumingMemoryBound(to: Float.self) }
    func outputFloats(_ index: Int) -> UnsafeMutablePointer<Float> {
        output(index).assumingMemoryBound(to: Float.self)
    }
}
