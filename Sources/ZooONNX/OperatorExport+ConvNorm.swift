import ZooGraph
import ZooTensor

// IR → ONNX attributes for the convolution, pooling and normalisation variants.
extension Op {
    /// Their attributes; LpPool's pooling attributes are written with the other pools'.
    var convNormAttributes: [(String, AttributeValue)] {
        func ints(_ name: String, _ values: [Int]?) -> [(String, AttributeValue)] { values.map { [(name, .ints($0))] } ?? [] }
        switch self {
        case .convTranspose(let a):
            return ints("kernel_shape", a.kernelShape) + ints("strides", a.strides) + ints("pads", a.pads)
                + ints("dilations", a.dilations) + (a.group == 1 ? [] : [("group", .int(a.group))])
                + (a.autoPad == .notSet ? [] : [("auto_pad", .string(a.autoPad.rawValue))])
                + ints("output_padding", a.outputPadding) + ints("output_shape", a.outputShape)
        case .lpPool(_, let p):
            return [("p", .int(p))]
        case .maxUnpool(let a):
            return ints("kernel_shape", a.kernelShape) + ints("strides", a.strides) + ints("pads", a.pads)
        case .normalization(.instance(let epsilon)):
            return [("epsilon", .float(epsilon))]
        case .normalization(.group(let groupCount, let epsilon, _)):
            return [("epsilon", .float(epsilon)), ("num_groups", .int(groupCount))]
        case .normalization(.rms(let axis, let epsilon)):
            return [("axis", .int(axis)), ("epsilon", .float(epsilon))]
        case .normalization(.meanVariance(let axes)):
            return [("axes", .ints(axes))]
        case .normalization(.batchTraining(let epsilon, let momentum)):
            return [("epsilon", .float(epsilon)), ("momentum", .float(momentum)), ("training_mode", .int(1))]
        default:
            return []
        }
    }

    /// Why this op cannot be written at `opset` although its attributes can: the meaning of
    /// GroupNormalization's scale and bias changed at opset 21 (per group before, per channel
    /// from then on), and the two cannot be converted without knowing the channel count.
    func convNormFormProblem(opset: Int) -> String? {
        guard case .normalization(.group(_, _, let perGroupAffine)) = self, perGroupAffine != (opset < 21) else { return nil }
        return perGroupAffine
            ? "scale and bias per group (opsets 18 to 20) have no form at opset \(opset), where they are per channel"
            : "scale and bias per channel (opset 21) have no form at opset \(opset), where they are per group"
    }
}
