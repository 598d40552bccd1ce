import ZooGraph
import ZooTensor

// Data movement and indexing: ONNX attributes → MovementOp, with the older opsets' forms
// (Split's sizes as an attribute before 13) turned into the newest.
extension OperatorImport {
    mutating func makeMovementOp() throws(Problem) -> MovementOp {
        switch opType {
        case "Pad":
            guard opset >= 11 else { throw Problem(reason: "Pad before opset 11 (pads as an attribute) is not supported") }
            let name = try string("mode") ?? "constant"
            guard let mode = PadMode(rawValue: name) else {
                throw Problem(reason: "mode '\(name)' is not one of \(PadMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .pad(mode)
        case "Split":
            if opset < 13, let sizes = try ints("split") {
                appendedInputs.append(("split", try Self.int64Tensor(sizes)))
            }
            let numOutputs = try int("num_outputs", default: nil)
            guard numOutputs == nil || inputCount < 2 else { throw Problem(reason: "split and num_outputs are both given; the spec allows one") }
            return .split(axis: try int("axis", default: 0), numOutputs: numOutputs)
        case "Tile":
            guard opset >= 6 else { throw Problem(reason: "Tile before opset 6 (tiles and axis inputs) is not supported") }
            return .tile
        case "DepthToSpace", "SpaceToDepth":
            let blockSize = try required(int("blocksize", default: nil), "blocksize")
            let name = try string("mode") ?? "DCR"
            guard let mode = BlockOrder(rawValue: name) else { throw Problem(reason: "mode '\(name)' is not one of DCR, CRD") }
            return opType == "DepthToSpace" ? .depthToSpace(blockSize: blockSize, mode: mode) : .spaceToDepth(blockSize: blockSize, mode: mode)
        case "GatherElements": return .gatherElements(axis: try int("axis", default: 0))
        case "ScatterElements": return .scatterElements(axis: try int("axis", default: 0), reduction: try scatterReduction())
        case "ScatterND": return .scatterND(reduction: try scatterReduction())
        case "OneHot": return .oneHot(axis: try int("axis", default: -1))
        case "Trilu": return .trilu(upper: try int("upper", default: 1) != 0)
        case "EyeLike":
            return .eyeLike(dtype: try int("dtype", default: nil).map { code throws(Problem) in try Self.dtype(code: code) },
                            k: try int("k", default: 0))
        case "ReverseSequence":
            return .reverseSequence(batchAxis: try int("batch_axis", default: 1), timeAxis: try int("time_axis", default: 0))
        case "Size": return .size
        default:
            throw Problem(reason: "operator is not supported")
        }
    }

    private func scatterReduction() throws(Problem) -> ScatterReduction {
        let name = try string("reduction") ?? "none"
        guard let reduction = ScatterReduction(rawValue: name) else {
            throw Problem(reason: "reduction '\(name)' is not one of \(ScatterReduction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return reduction
    }

    /// An element type named by its ONNX code (a code beyond 32 bits is none).
    private static func dtype(code: Int) throws(Problem) -> DType {
        guard let narrowed = Int32(exactly: code) else { throw Problem(reason: "data type \(code) is not supported") }
        guard let dtype = DType(onnxCode: narrowed) else { throw Problem(reason: "\(DType.onnxName(of: narrowed)) is not supported") }
        return dtype
    }
}
