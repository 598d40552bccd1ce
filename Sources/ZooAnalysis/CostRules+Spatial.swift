import ZooGraph

// GridSample, AffineGrid and Col2Im.
// - GridSample: for each grid point, 4 FLOPs per spatial axis to turn the normalised
//   coordinate into a pixel position (and its padding); for each output element, a multiply
//   and an add per tap: 2·2^r with linear, 2·4^r with cubic interpolation, over r spatial
//   axes; nearest copies one pixel (0).
// - AffineGrid: each output coordinate is a row of theta times (x, y[, z], 1): r multiplies
//   and r adds, 2r FLOPs per output element.
// - Col2Im: every input element is added into the image once: 1 FLOP per input element.
extension CostContext {
    func spatialCost(_ op: SpatialOp) throws(CountError) -> Cost {
        switch op {
        case .gridSample(let attributes):
            let spatialRank = try input(1).rank - 2
            let tapsPerAxis = switch attributes.mode { case .nearest: 0; case .linear: 2; case .cubic: 4 }
            let taps = (0..<spatialRank).reduce(tapsPerAxis == 0 ? 0 : 1) { product, _ in product * tapsPerAxis }
            let points = try inputElements(1), outputs = try outputElements()
            return try checked { () throws(PolynomialError) in try Cost(macs: .zero, otherFLOPs: 4 * points + outputs * Polynomial(2 * taps)) }
        case .affineGrid:
            let spatialRank = try output(0).dims.last?.value ?? 0, outputs = try outputElements()
            return try checked { () throws(PolynomialError) in try Cost(elements: outputs, flopsPerElement: Polynomial(2 * spatialRank)) }
        case .col2Im:
            let inputs = try inputElements(0)
            return try checked { () throws(PolynomialError) in try Cost(elements: inputs, flopsPerElement: 1) }
        }
    }
}
