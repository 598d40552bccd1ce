import ZooGraph

/// The forms of the reductions, ArgMax/ArgMin, CumSum/CumProd, TopK, LogSoftmax and
/// Hardmax per opset (see `OperatorForms`), from the onnx package's schemas.
extension OperatorForms {
    static let reductionIntroduced: [String: Int] = ["CumSum": 11, "CumProd": 26]

    static let reductionAttributeOpsets: [String: [String: ClosedRange<Int>]] = {
        var table: [String: [String: ClosedRange<Int>]] = [
            "ArgMax": ["select_last_index": 12...Int.max], "ArgMin": ["select_last_index": 12...Int.max],
            "TopK": ["k": 1...9, "largest": 11...Int.max, "sorted": 11...Int.max],
        ]
        for operation in ReduceOperation.allCases {
            let inputFrom = operation.axesInputOpset
            table[operation.onnxName] = ["axes": 1...(inputFrom - 1), "noop_with_empty_axes": inputFrom...Int.max]
        }
        return table
    }()

    static let reductionInputCounts: [String: [(from: Int, count: ClosedRange<Int>)]] = {
        var table: [String: [(from: Int, count: ClosedRange<Int>)]] = ["TopK": [(1, 1...1), (10, 2...2)]]
        for operation in ReduceOperation.allCases {
            table[operation.onnxName] = [(1, 1...1), (operation.axesInputOpset, 1...2)]
        }
        return table
    }()
}
