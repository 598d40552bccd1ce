import CDNNL

/// A oneDNN primitive that reads and writes activations in the layout it chose: the stored
/// source is reordered into scratch before it runs, and its result reordered from scratch
/// into the stored output after, where the layouts differ. Scratch holds the reordered
/// source, then the blocked result, then the primitive's own scratchpad.
struct BlockedPrimitive: @unchecked Sendable {
    let call: DNNLCall
    let source: dnnl_memory_desc_t
    let destination: dnnl_memory_desc_t
    private let sourceReorder: DNNLReorder?
    private let destinationReorder: DNNLReorder?

    init(call: DNNLCall, source: dnnl_memory_desc_t, destination: dnnl_memory_desc_t,
         storedSource: dnnl_memory_desc_t, storedDestination: dnnl_memory_desc_t, node: String) throws(RuntimeError) {
        self.call = call
        self.source = source
        self.destination = destination
        sourceReorder = try DNNLReorder(from: storedSource, to: source, node: node)
        destinationReorder = try DNNLReorder(from: destination, to: storedDestination, node: node)
    }

    private var sourceBytes: Int { MemoryPlanner.aligned(sourceReorder?.byteCount ?? 0) }
    private var destinationBytes: Int { MemoryPlanner.aligned(destinationReorder?.source.byteCount ?? 0) }
    var scratchByteCount: Int { sourceBytes + destinationBytes + call.scratchByteCount }

    /// Runs on input 0 into output 0, passing `operands` (weights, bias, post-op operands)
    /// after the source and destination.
    func execute(_ io: KernelIO, operands: [(argument: Int32, descriptor: dnnl_memory_desc_t, address: UnsafeRawPointer)] = [])
        throws(RuntimeError)
    {
        var sourceAddress = io.input(0)
        if let sourceReorder, let scratch = io.scratch {
            try sourceReorder.execute(from: sourceAddress, to: scratch, io)
            sourceAddress = UnsafeRawPointer(scratch)
        }
        let blockedResult = destinationReorder == nil ? nil : io.scratch.map { UnsafeRawPointer($0 + sourceBytes) }
        try call.execute([(DNNLArgument.source, source, sourceAddress),
                          (DNNLArgument.destination, destination, blockedResult ?? UnsafeRawPointer(io.output(0)))] + operands,
                         io, scratchOffset: sourceBytes + destinationBytes)
        if let blockedResult { try destinationReorder?.execute(from: blockedResult, to: io.output(0), io) }
    }
}
