import ZooGraph

// Rules for the reductions, ArgMax/ArgMin, CumSum/CumProd, TopK, LogSoftmax and Hardmax:
// FLOPs only (no products of a dense layer), counted per input element of the reduced set
// and per output element for a final step.
extension CostContext {
    /// A Reduce*: per input element, one operation folding it in (max, min, sum, product,
    /// and mean, whose division stands in for the first element's add), two for L1 (|x|,
    /// add), SumSquare and L2 (square, add), four for LogSumExp (the maximum, the
    /// subtraction, exp, add); per output element one more for L2's √ and LogSum's log, two
    /// for LogSumExp's log and the maximum added back.
    func reduceCost(_ operation: ReduceOperation) throws(CountError) -> Cost {
        let (perInput, perOutput) = switch operation {
        case .max, .min, .sum, .product, .mean: (1, 0)
        case .l1, .sumSquare: (2, 0)
        case .l2: (2, 1)
        case .logSum: (1, 1)
        case .logSumExp: (4, 2)
        }
        let inputs = try inputElements(0), outputs = try outputElements()
        return try checked { () throws(PolynomialError) in
            try Cost(macs: .zero, otherFLOPs: inputs * Polynomial(perInput) + outputs * Polynomial(perOutput))
        }
    }

    /// ArgMax, ArgMin: one comparison per input element. TopK counts the same: one pass
    /// selecting the k results (the ordering of those k is not counted). Hardmax: the
    /// comparison, then writing 0 or 1 (one per element).
    func comparisonCost(perInputElement: Int) throws(CountError) -> Cost {
        let inputs = try inputElements(0)
        return try checked { () throws(PolynomialError) in try Cost(elements: inputs, flopsPerElement: Polynomial(perInputElement)) }
    }

    /// LogSoftmax, x − max − log Σ exp(x − max): per element the running maximum, the
    /// subtraction, the exp, the sum and the final subtraction (5), as for Softmax.
    func logSoftmaxCost() throws(CountError) -> Cost {
        try softmaxCost()
    }
}
