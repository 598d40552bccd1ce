import ZooGraph

// Rules for the quantized operators. Integer multiply-accumulates count as MACs like float
// ones; quantizing and dequantizing are elementwise FLOPs (the scale's multiply or divide
// and the zero point's add; rounding and saturation are not counted, as no clamp is).
//
// | op | MACs | other FLOPs |
// |---|---|---|
// | QuantizeLinear, DequantizeLinear | 0 | 2E |
// | DynamicQuantizeLinear | 0 | 4E (min and max over x, then quantize) + 4 (scale and zero point) |
// | ConvInteger | as Conv | 0 |
// | QLinearConv | as Conv | 2E to requantize, + E with a bias |
// | MatMulInteger | as MatMul | 0 |
// | QLinearMatMul | as MatMul | 2E to requantize |
extension CostContext {
    func quantizedCost(_ op: QuantizedOp) throws(CountError) -> Cost {
        let outputs = try outputElements()
        switch op {
        case .quantizeLinear, .dequantizeLinear:
            return try checked { () throws(PolynomialError) in try Cost(elements: outputs, flopsPerElement: 2) }
        case .dynamicQuantizeLinear:
            return try checked { () throws(PolynomialError) in try Cost(macs: .zero, otherFLOPs: 4 * outputs + Polynomial(4)) }
        case .convInteger, .qLinearConv:
            let isRequantized = if case .qLinearConv = op { true } else { false }
            let weight = try input(isRequantized ? 3 : 1)
            let perOutput = isRequantized ? (hasInput(8) ? 3 : 2) : 0
            return try checked { () throws(PolynomialError) in
                try Cost(macs: outputs * Polynomial(product: weight.dims.dropFirst()), otherFLOPs: outputs * Polynomial(perOutput))
            }
        case .matMulInteger, .qLinearMatMul:
            let inner = try input(0).dims.last ?? 1
            let perOutput = op == .qLinearMatMul ? 2 : 0
            return try checked { () throws(PolynomialError) in
                try Cost(macs: outputs * Polynomial(inner), otherFLOPs: outputs * Polynomial(perOutput))
            }
        }
    }
}
