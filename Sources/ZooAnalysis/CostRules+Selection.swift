import ZooGraph

// Selection by value and regions. Counts that depend on data are stated in the output's
// size, a symbol named after the node (`node:0`) until the values are known.
// - NonZero: one comparison with zero per input element.
// - Unique: a comparison sort of the n elements (or slices) and one pass to group them:
//   (⌈log₂ n⌉ + 1) comparisons per input element, with n known (else 1 per element).
// - Compress: data movement (0).
// - NonMaxSuppression: one score comparison per (batch, class, box) candidate, then each
//   candidate's IoU (15 FLOPs) against at most every selected box: B·C·N·(1 + 15·S), with S
//   the selected count (the output's first dim): an upper bound that depends on the scores.
// - RoiAlign: per output element and sample point, 4 bilinear taps of a multiply and an add
//   (8 FLOPs), + 1 per output element for the average. Samples per bin are
//   sampling_ratio²; with sampling_ratio 0 they depend on each region's size and are
//   counted as 1.
// - DeformConv: a convolution's MACs (E · C/group · kH · kW) plus, per sampled input value
//   (N · C · kH · kW · oH · oW), 4 bilinear taps (8 FLOPs) and 1 for the mask; + E with a bias.
extension CostContext {
    func selectionCost(_ op: SelectionOp) throws(CountError) -> Cost {
        switch op {
        case .nonZero: return try comparisonCost(perInputElement: 1)
        case .unique(let attributes):
            let input = try input(0)
            let length = attributes.axis.map { input.dims[$0 < 0 ? $0 + input.rank : $0].value } ?? input.dims.reduce(Optional(1)) { product, dim in
                product.flatMap { value in dim.value.map { value * $0 } }
            }
            let depth = length.map { Int.bitWidth - max($0 - 1, 0).leadingZeroBitCount } ?? 0
            return try comparisonCost(perInputElement: depth + 1)
        case .compress: return .free
        case .nonMaxSuppression:
            let scores = try input(1), selected = try output(0).dims[0]
            return try checked { () throws(PolynomialError) in
                let candidates = try Polynomial(product: scores.dims)
                return try Cost(elements: candidates, flopsPerElement: try Polynomial(1) + Polynomial(15) * Polynomial(selected))
            }
        }
    }

    func regionCost(_ op: RegionOp) throws(CountError) -> Cost {
        let outputs = try outputElements()
        switch op {
        case .roiAlign(let attributes):
            let samples = max(attributes.samplingRatio, 1)
            let perElement = try checked { () throws(PolynomialError) in
                try Polynomial(8) * Polynomial(samples) * Polynomial(samples) + Polynomial(attributes.mode == .average ? 1 : 0)
            }
            return try checked { () throws(PolynomialError) in try Cost(elements: outputs, flopsPerElement: perElement) }
        case .deformConv:
            let image = try input(0), weight = try input(1), output = try output(0)
            let bias: Polynomial = hasInput(3) ? outputs : .zero
            let samplingPerValue = Polynomial(hasInput(4) ? 9 : 8)
            return try checked { () throws(PolynomialError) in
                let sampled = try Polynomial(product: [image.dims[0], image.dims[1], weight.dims[2], weight.dims[3], output.dims[2], output.dims[3]])
                return try Cost(macs: outputs * Polynomial(product: weight.dims.dropFirst()), otherFLOPs: sampled * samplingPerValue + bias)
            }
        }
    }
}
