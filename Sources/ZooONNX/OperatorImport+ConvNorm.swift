import ZooGraph
import ZooTensor

// ONNX → IR for the convolution, pooling and normalisation variants.
extension OperatorImport {
    /// The attributes we read of these operators.
    static let convNormKnown: [String: Set<String>] = [
        "ConvTranspose": ["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad", "output_padding", "output_shape"],
        "LpPool": ["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "auto_pad", "p"],
        "MaxUnpool": ["kernel_shape", "strides", "pads"],
        "InstanceNormalization": ["epsilon"],
        "GroupNormalization": ["epsilon", "num_groups", "stash_type"],
        "RMSNormalization": ["axis", "epsilon", "stash_type"],
        "MeanVarianceNormalization": ["axes"],
    ]

    mutating func makeConvNormOp() throws(Problem) -> Op {
        switch opType {
        case "ConvTranspose":
            return .convTranspose(ConvTransposeAttributes(
                kernelShape: try ints("kernel_shape"), strides: try ints("strides"), pads: try ints("pads"),
                dilations: try ints("dilations"), group: try int("group", default: 1), autoPad: try autoPad(),
                outputPadding: try ints("output_padding"), outputShape: try ints("output_shape")))
        case "LpPool":
            guard opset >= 2 else { throw Problem(reason: "LpPool before opset 2 (p as a float) is not supported") }
            return .lpPool(try pool(countIncludePad: false), p: try int("p", default: 2))
        case "MaxUnpool":
            return .maxUnpool(MaxUnpoolAttributes(kernelShape: try required(ints("kernel_shape"), "kernel_shape"),
                                                  strides: try ints("strides"), pads: try ints("pads")))
        case "InstanceNormalization":
            return .normalization(.instance(epsilon: try float("epsilon", default: 1e-5)))
        case "GroupNormalization":
            try requireFloat32Statistics()
            return .normalization(.group(groupCount: try required(int("num_groups", default: nil), "num_groups"),
                                         epsilon: try float("epsilon", default: 1e-5), perGroupAffine: opset < 21))
        case "RMSNormalization":
            try requireFloat32Statistics()
            return .normalization(.rms(axis: try int("axis", default: -1), epsilon: try float("epsilon", default: 1e-5)))
        case "MeanVarianceNormalization":
            return .normalization(.meanVariance(axes: try ints("axes") ?? [0, 2, 3]))
        default:
            throw Problem(reason: "operator is not supported")
        }
    }

    /// stash_type 1 (float32 statistics) is the default and the only precision we compute in.
    private func requireFloat32Statistics() throws(Problem) {
        let stash = try int("stash_type", default: 1)
        guard stash == 1 else { throw Problem(reason: "stash_type \(stash) (statistics not in float32) is not supported") }
    }
}
