import CZooKernels
import ZooGraph

/// Conv of a one-channel image (LeNet's first layer on MNIST-style input), stride 1, no
/// dilation, with a fused ReLU, sigmoid or tanh. oneDNN's kernels vectorise over input
/// channels, so with one channel most lanes idle; `zoo_conv_single_channel` vectorises over
/// output columns (see Benchmarks/README.md for the measured difference). One channel has
/// the same bytes in NCHW and NHWC, so the input is read either way; the output is written
/// in the node's layout. Weights and bias are read in their ONNX layout at run time. Rows of
/// all images are split over the threads.
struct SingleChannelConvolutionKernel: Kernel {
    let batch: Int
    let input: (height: Int, width: Int)
    let output: (channels: Int, height: Int, width: Int)
    let kernel: (height: Int, width: Int)
    let padsBegin: (top: Int, left: Int)
    let hasBias: Bool
    let activation: Int32
    let channelsLast: Bool
    let threads: Int

    /// The kernel for this Conv, or nil when it does not apply: more input channels, groups,
    /// strides or dilations, another epilogue, or rows too wide for the stack tile.
    static func make(_ context: KernelContext, _ attributes: ConvAttributes, geometry: SpatialGeometry,
                     output: ValueType) throws(RuntimeError) -> SingleChannelConvolutionKernel? {
        let input = try context.floatType(0), weight = try context.floatType(1)
        guard input.rank == 4, attributes.group == 1, input.shape[1] == 1,
              geometry.strides == [1, 1], geometry.dilations == [1, 1],
              let activation = context.node.epilogue.zooActivation,
              weight.shape[2] * zoo_conv_single_channel_tile_width(output.shape[3], weight.shape[3])
                <= Int(ZOO_CONV_SINGLE_CHANNEL_MAX_TILE)
        else { return nil }
        let shape = output.shape
        return SingleChannelConvolutionKernel(
            batch: shape[0], input: (input.shape[2], input.shape[3]), output: (shape[1], shape[2], shape[3]),
            kernel: (weight.shape[2], weight.shape[3]), padsBegin: (geometry.padsBegin[0], geometry.padsBegin[1]),
            hasBias: context.optionalType(2) != nil, activation: activation,
            channelsLast: context.node.layout == .channelsLast, threads: SmallWork.isSmall(shape + weight.shape[2...]) ? 1 : context.threads)
    }

    func run(_ io: KernelIO) {
        let x = UnsafeSendable(io.floats(0)), w = UnsafeSendable(io.floats(1))
        let bias = UnsafeSendable(hasBias ? io.floats(2) : nil), y = UnsafeSendable(io.outputFloats(0))
        let inputPlane = input.height * input.width, outputPlane = output.height * output.width
        // Work items are output rows of all images: image = row / height.
        Parallel.forRanges(batch * output.height, threads: threads, minimumChunk: 1) { rows in
            var row = rows.lowerBound
            while row < rows.upperBound {
                let image = row / output.height, first = row % output.height
                let last = min(output.height, first + rows.upperBound - row)
                zoo_conv_single_channel(x.value + image * inputPlane, input.height, input.width, padsBegin.top, padsBegin.left,
                                        w.value, output.channels, kernel.height, kernel.width, bias.value, activation,
                                        first, last, output.height, output.width, channelsLast ? 1 : 0,
                                        y.value + image * output.channels * outputPlane)
                row += last - first
            }
        }
    }
}
