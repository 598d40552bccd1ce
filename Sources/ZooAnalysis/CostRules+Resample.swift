import ZooGraph

// Spatial resampling. Resize's output positions are weighted sums of their source cells
// (the interpolation taps): no multiply-accumulates are counted (MACs 0), and each tap costs
// a multiply and an add, so FLOPs = output elements × 2 × Π taps over the axes whose length
// changes (every listed axis for tf_crop_and_resize): 2 taps per axis for linear, 4 for
// cubic, more with antialias when downsampling (ResizeAttributes.tapCount). This is the
// spec's weighted sum; a separable kernel does fewer. Nearest and CenterCropPad only copy:
// 0 FLOPs.
extension CostContext {
    func resampleCost(_ op: ResampleOp) throws(CountError) -> Cost {
        guard case .resize(let attributes) = op, attributes.mode != .nearest else { return .free }
        let input = try input(0), output = try output(0)
        let listed = Set(attributes.axes.map { axes in axes.map { $0 < 0 ? $0 + input.rank : $0 } } ?? Array(0..<input.rank))
        var perElement = Polynomial(2)
        for axis in 0..<input.rank {
            let (before, after) = (input.dims[axis], output.dims[axis])
            guard before != after || (attributes.coordinateTransformation == .tfCropAndResize && listed.contains(axis)) else { continue }
            var scale = 1.0
            if let length = before.value, let resized = after.value, length > 0 { scale = Double(resized) / Double(length) }
            let taps = Polynomial(attributes.tapCount(scale: scale))
            perElement = try checked { () throws(PolynomialError) in try perElement * taps }
        }
        let elements = try outputElements()
        return try checked { () throws(PolynomialError) in try Cost(elements: elements, flopsPerElement: perElement) }
    }
}
