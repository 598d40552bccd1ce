import ZooGraph

// Data movement and indexing: MovementOp → ONNX attributes (defaults left out, except axes
// and block sizes, which say where data goes).
extension MovementOp {
    var onnxAttributes: [(String, AttributeValue)] {
        switch self {
        case .pad(let mode): mode == .constant ? [] : [("mode", .string(mode.rawValue))]
        case .split(let axis, let numOutputs): [("axis", .int(axis))] + (numOutputs.map { [("num_outputs", .int($0))] } ?? [])
        case .depthToSpace(let blockSize, let mode), .spaceToDepth(let blockSize, let mode):
            [("blocksize", .int(blockSize))] + (mode == .depthColumnRow ? [] : [("mode", .string(mode.rawValue))])
        case .gatherElements(let axis): [("axis", .int(axis))]
        case .scatterElements(let axis, let reduction): [("axis", .int(axis))] + Self.reductionAttribute(reduction)
        case .scatterND(let reduction): Self.reductionAttribute(reduction)
        case .oneHot(let axis): [("axis", .int(axis))]
        case .trilu(let upper): upper ? [] : [("upper", .int(0))]
        case .eyeLike(let dtype, let k): (dtype.map { [("dtype", .int(Int($0.onnxCode)))] } ?? []) + (k == 0 ? [] : [("k", .int(k))])
        case .reverseSequence(let batchAxis, let timeAxis): [("batch_axis", .int(batchAxis)), ("time_axis", .int(timeAxis))]
        case .tile, .size: []
        }
    }

    private static func reductionAttribute(_ reduction: ScatterReduction) -> [(String, AttributeValue)] {
        reduction == .none ? [] : [("reduction", .string(reduction.rawValue))]
    }
}
