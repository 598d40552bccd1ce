import CDNNL

/// The conversions the channels-last pass inserts: a rank-4 float tensor from NCHW to NHWC
/// or back, through a oneDNN reorder (vectorised and threaded).
struct LayoutReorderKernel: Kernel {
    /// nil when both layouts put the bytes in the same places (one channel, or 1x1 pixels).
    let reorder: DNNLReorder?
    let byteCount: Int

    static func prepare(_ context: KernelContext, from source: ActivationLayout) throws(RuntimeError) -> PreparedKernel {
        let input = try context.floatType(0)
        guard input.rank == 4 else { throw context.fail("a layout conversion needs a rank-4 tensor, got \(input)") }
        guard context.compilesPrimitives else { return PreparedKernel(kernel: LayoutReorderKernel(reorder: nil, byteCount: 0), outputTypes: [input]) }
        let name = context.node.name
        let reorder = try DNNLReorder(from: try memoryDescriptor(input.shape, source.tag, node: name),
                                      to: try memoryDescriptor(input.shape, context.node.layout.tag, node: name), node: name)
        return PreparedKernel(kernel: LayoutReorderKernel(reorder: reorder, byteCount: input.byteCount), outputTypes: [input])
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        if let reorder {
            try reorder.execute(from: io.input(0), to: UnsafeRawPointer(io.output(0)), io)
        } else {
            io.output(0).copyMemory(from: io.input(0), byteCount: byteCount)
        }
    }
}

extension ActivationLayout {
    /// The oneDNN format tag of a rank-4 activation in this layout.
    var tag: dnnl_format_tag_t { self == .channelsLast ? dnnl_acdb : dnnl_abcd }
}
