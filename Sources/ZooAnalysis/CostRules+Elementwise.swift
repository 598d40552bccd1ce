import ZooGraph

// Rules for ops that touch each element a fixed number of times: FLOPs, no MACs.
extension CostContext {
    /// `flopsPerElement` operations for every output element.
    func elementwiseCost(flopsPerElement: Int) throws(CountError) -> Cost {
        let outputs = try outputElements()
        return try checked { () throws(PolynomialError) in
            try Cost(elements: outputs, flopsPerElement: Polynomial(flopsPerElement))
        }
    }

    /// Softmax, computed stably: per element the running maximum, the subtraction, the exp,
    /// the sum and the division (5).
    func softmaxCost() throws(CountError) -> Cost {
        try elementwiseCost(flopsPerElement: 5)
    }

    /// MaxPool and AveragePool: one operation per window tap for each output (a comparison,
    /// or an addition with the final division standing in for the first tap's).
    func poolCost(_ attributes: PoolAttributes) throws(CountError) -> Cost {
        let outputs = try outputElements()
        return try checked { () throws(PolynomialError) in
            let window = try Polynomial.product(attributes.kernelShape.map { Polynomial($0) })
            return try Cost(elements: outputs, flopsPerElement: window)
        }
    }

    /// Global pools and reductions: one operation per input element, as for a pool whose
    /// window is the reduced axes.
    func reductionCost() throws(CountError) -> Cost {
        let inputs = try inputElements(0)
        return try checked { () throws(PolynomialError) in try Cost(elements: inputs, flopsPerElement: 1) }
    }

    /// BatchNormalization at inference, `(x − mean) / √(var + ε) · scale + bias`: 4 per
    /// element, plus 2 per channel for √(var + ε).
    func batchNormalizationCost() throws(CountError) -> Cost {
        let outputs = try outputElements()
        let channels = try input(0).dims[1]
        return try checked { () throws(PolynomialError) in
            try Cost(macs: .zero, otherFLOPs: 4 * outputs + 2 * Polynomial(channels))
        }
    }

    /// LayerNormalization over rows of D elements: per element, the sum for the mean, the
    /// subtraction, the square, the sum of squares, the division by the deviation and the
    /// scale (6; 7 with a bias); per row, the two divisions by D, + ε and the square root (4).
    func layerNormalizationCost(axis: Int) throws(CountError) -> Cost {
        let outputs = try outputElements()
        let dims = try input(0).dims
        let first = axis < 0 ? axis + dims.count : axis
        let perElement = hasInput(2) ? 7 : 6
        return try checked { () throws(PolynomialError) in
            let rows = try Polynomial(product: dims.prefix(first))
            return try Cost(macs: .zero, otherFLOPs: outputs * Polynomial(perElement) + 4 * rows)
        }
    }

    /// LRN, `x / (bias + alpha/size · Σ x²)^beta` over `size` channels: a square and an add
    /// per window tap, then the scaling, the bias, the power and the division (4).
    func lrnCost(size: Int) throws(CountError) -> Cost {
        let outputs = try outputElements()
        return try checked { () throws(PolynomialError) in
            try Cost(elements: outputs, flopsPerElement: 2 * Polynomial(size) + 4)
        }
    }
}
