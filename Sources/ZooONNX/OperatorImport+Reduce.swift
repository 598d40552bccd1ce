import ZooGraph
import ZooTensor

/// Reductions, ArgMax/ArgMin, CumSum/CumProd, TopK, LogSoftmax and Hardmax: ONNX node →
/// Op, with each opset's form (axes as attribute or input, k as attribute or input, the
/// 2-D coercion of LogSoftmax and Hardmax before opset 13).
extension OperatorImport {
    /// The attributes we read, by operator, for this family.
    static let reductionAttributes: [String: Set<String>] = {
        var table: [String: Set<String>] = [
            "ArgMax": ["axis", "keepdims", "select_last_index"], "ArgMin": ["axis", "keepdims", "select_last_index"],
            "CumSum": ["exclusive", "reverse"], "CumProd": ["exclusive", "reverse"],
            "TopK": ["axis", "k", "largest", "sorted"], "LogSoftmax": ["axis"], "Hardmax": ["axis"],
        ]
        for operation in ReduceOperation.allCases { table[operation.onnxName] = ["axes", "keepdims", "noop_with_empty_axes"] }
        return table
    }()

    mutating func makeReductionOp() throws(Problem) -> Op {
        if let operation = ReduceOperation(onnxName: opType) { return .reduce(operation, try reduceAttributes(operation)) }
        switch opType {
        case "ArgMax", "ArgMin":
            return .argReduce(ArgReduceAttributes(
                selectsMaximum: opType == "ArgMax", axis: try int("axis", default: 0),
                keepDims: try int("keepdims", default: 1) != 0, selectLastIndex: try int("select_last_index", default: 0) != 0))
        case "CumSum", "CumProd":
            return .cumulative(CumulativeAttributes(
                opType == "CumSum" ? .sum : .product, exclusive: try int("exclusive", default: 0) != 0,
                reverse: try int("reverse", default: 0) != 0))
        case "TopK":
            if opset < 10 {
                // k was an attribute; since opset 10 it is an input.
                appendedInputs.append(("k", try Self.int64Tensor([try required(int("k", default: nil), "k")])))
            }
            return .topK(TopKAttributes(axis: try int("axis", default: -1), largest: try int("largest", default: 1) != 0,
                                        sorted: try int("sorted", default: 1) != 0))
        case "LogSoftmax", "Hardmax":
            var axis = try int("axis", default: -1)
            if opset < 13 {
                // As Softmax before 13: flattened to 2-D at `axis` (default 1), rows along the last.
                coercedToMatrixAt = try int("axis", default: 1)
                axis = -1
            }
            return opType == "LogSoftmax" ? .logSoftmax(axis: axis) : .hardmax(axis: axis)
        default:
            throw Problem(reason: "operator is not supported")
        }
    }

    /// Reduce axes: an attribute before `axesInputOpset`, an optional input from it, read
    /// into the attribute when constant and kept as the node's input otherwise. No axes (or
    /// an empty list) reduce every axis, or none with `noop_with_empty_axes`.
    private mutating func reduceAttributes(_ operation: ReduceOperation) throws(Problem) -> ReduceAttributes {
        let keepDims = try int("keepdims", default: 1) != 0
        let noopWithEmptyAxes = try int("noop_with_empty_axes", default: 0) != 0
        let axes: [Int]
        if opset < operation.axesInputOpset {
            axes = try ints("axes") ?? []
        } else if inputCount > 1 {
            guard let tensor = constantInput(1) else {
                return ReduceAttributes(axes: nil, keepDims: keepDims, noopWithEmptyAxes: noopWithEmptyAxes)
            }
            droppedInputCount = 1
            guard let values = tensor.integerValues else { throw Problem(reason: "axes must be integers") }
            axes = values
        } else {
            axes = []
        }
        return ReduceAttributes(axes: axes.isEmpty ? (noopWithEmptyAxes ? [] : nil) : axes, keepDims: keepDims)
    }
}
