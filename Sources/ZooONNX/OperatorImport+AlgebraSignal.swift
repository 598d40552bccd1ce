import ZooGraph
import ZooTensor

// ONNX → IR for Einsum, Det, LpNormalization, GlobalLpPool, BitCast (AlgebraOp) and DFT,
// STFT and the window functions (SignalOp).
extension OperatorImport {
    static let algebraSignalKnown: [String: Set<String>] = [
        "Einsum": ["equation"], "Det": [], "LpNormalization": ["axis", "p"], "GlobalLpPool": ["p"], "BitCast": ["to"],
        "DFT": ["axis", "inverse", "onesided"], "STFT": ["onesided"],
        "HannWindow": ["periodic", "output_datatype"], "HammingWindow": ["periodic", "output_datatype"],
        "BlackmanWindow": ["periodic", "output_datatype"], "MelWeightMatrix": ["output_datatype"],
    ]

    mutating func makeAlgebraSignalOp() throws(Problem) -> Op {
        switch opType {
        case "Einsum":
            let text = try required(string("equation"), "equation")
            do { return .algebra(.einsum(try EinsumEquation(text))) } catch { throw Problem(reason: error.description) }
        case "Det": return .algebra(.det)
        case "LpNormalization": return .algebra(.lpNormalization(axis: try int("axis", default: -1), p: try int("p", default: 2)))
        case "GlobalLpPool":
            guard opset >= 2 else { throw Problem(reason: "GlobalLpPool before opset 2 (p as a float) is not supported") }
            return .algebra(.globalLpPool(p: try int("p", default: 2)))
        case "BitCast": return .algebra(.bitCast(to: try dataType("to", default: nil)))
        case "DFT":
            let inverse = try int("inverse", default: 0) != 0, onesided = try int("onesided", default: 0) != 0
            guard opset >= 20 else { return .signal(.dft(inverse: inverse, onesided: onesided, axis: try int("axis", default: 1))) }
            guard inputCount >= 3 else { return .signal(.dft(inverse: inverse, onesided: onesided, axis: -2)) }
            // A constant axis input is held as the attribute; any other is read at run time.
            guard let axis = constantInput(2)?.integerValues, axis.count == 1 else {
                return .signal(.dft(inverse: inverse, onesided: onesided, axis: nil))
            }
            droppedInputCount = 1
            return .signal(.dft(inverse: inverse, onesided: onesided, axis: axis[0]))
        case "STFT": return .signal(.stft(onesided: try int("onesided", default: 1) != 0))
        case "MelWeightMatrix": return .signal(.melWeightMatrix(dtype: try dataType("output_datatype", default: .float32)))
        default:
            guard let function = WindowFunction(rawValue: opType) else { throw Problem(reason: "operator is not supported") }
            return .signal(.window(function, periodic: try int("periodic", default: 1) != 0,
                                   dtype: try dataType("output_datatype", default: .float32)))
        }
    }

    /// A data-type attribute (`to`, `output_datatype`) as a dtype we hold.
    func dataType(_ name: String, default fallback: DType?) throws(Problem) -> DType {
        guard let code = try int(name, default: nil) else { return try required(fallback, name) }
        guard let narrowed = Int32(exactly: code) else { throw Problem(reason: "\(name): data type \(code) is not supported") }
        guard let dtype = DType(onnxCode: narrowed) else { throw Problem(reason: "\(name): \(DType.onnxName(of: narrowed)) is not supported") }
        return dtype
    }
}
