import ZooGraph

// Rules for the convolution, pooling and normalisation variants.
extension CostContext {
    /// ConvTranspose: every input element is multiplied into a window of the output, for
    /// each of the C_out / group filters of its group: input elements · (C_out / group) ·
    /// kernel area MACs, the weight's size per input channel; a bias adds one FLOP per
    /// output element.
    func convTransposeCost() throws(CountError) -> Cost {
        let inputs = try inputElements(0)
        let outputs = try outputElements()
        let weight = try input(1)
        let bias: Polynomial = hasInput(2) ? outputs : .zero
        return try checked { () throws(PolynomialError) in
            try Cost(macs: inputs * Polynomial(product: weight.dims.dropFirst()), otherFLOPs: bias)
        }
    }

    /// LpPool: per window tap the absolute value, the power and the sum (3), then the
    /// p-th root per output element (1).
    func lpPoolCost(_ attributes: PoolAttributes) throws(CountError) -> Cost {
        let outputs = try outputElements()
        return try checked { () throws(PolynomialError) in
            let window = try Polynomial.product(attributes.kernelShape.map { Polynomial($0) })
            return try Cost(elements: outputs, flopsPerElement: 3 * window + 1)
        }
    }

    /// The shape-keeping normalisations, over groups of elements (a row, an instance, a
    /// group of channels): per element the sum for the mean, the subtraction, the square,
    /// the sum of squares and the multiplication by the inverse deviation (5), the scale
    /// (+1) and the bias (+1); per group the two divisions by its size, + ε and the square
    /// root (4). RMSNormalization skips the mean and subtraction (3 per element, with its
    /// scale) and MeanVarianceNormalization has no scale or bias.
    func normalizationCost(_ normalization: Normalization) throws(CountError) -> Cost {
        let outputs = try outputElements()
        let dims = try input(0).dims
        let perElement: Int
        let groups: Polynomial
        switch normalization {
        case .instance:
            perElement = 7
            groups = try checked { () throws(PolynomialError) in try Polynomial(product: dims.prefix(2)) }
        case .group(let groupCount, _, _):
            perElement = 7
            groups = try checked { () throws(PolynomialError) in try Polynomial(dims[0]) * Polynomial(groupCount) }
        case .rms(let axis, _):
            perElement = 4
            groups = try checked { () throws(PolynomialError) in
                try Polynomial(product: dims.prefix(axis < 0 ? axis + dims.count : axis))
            }
        case .batchTraining:
            perElement = 7
            groups = try checked { () throws(PolynomialError) in try Polynomial(dims[1]) }
        case .meanVariance(let axes):
            perElement = 5
            let reduced = Set(axes.map { $0 < 0 ? $0 + dims.count : $0 })
            groups = try checked { () throws(PolynomialError) in
                try Polynomial(product: dims.indices.filter { !reduced.contains($0) }.map { dims[$0] })
            }
        }
        return try checked { () throws(PolynomialError) in
            try Cost(macs: .zero, otherFLOPs: outputs * Polynomial(perElement) + 4 * groups)
        }
    }
}
