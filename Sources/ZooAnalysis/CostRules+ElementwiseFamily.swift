import ZooGraph

// The elementwise family: a fixed number of FLOPs per output element, no MACs. Each
// evaluation of a libm-style function (exp, log, tanh, sin, …) counts as 1 FLOP, as for the
// older activations; a comparison or select counts 1.
//
// | op | FLOPs per output element |
// |---|---|
// | Abs, Ceil, Floor, Round, Sign, Reciprocal, Log, trigonometric and hyperbolic functions, Not, BitwiseNot, IsInf, ThresholdedRelu | 1 |
// | LeakyRelu (compare, multiply), Shrink (compare, add) | 2 |
// | Softplus (exp, add, log), Softsign (abs, add, divide) | 3 |
// | Elu (compare, exp, subtract, multiply), HardSigmoid (multiply, add, min, max), Swish (multiply, exp, add, divide) | 4 |
// | Selu (Elu's and the scale), HardSwish (HardSigmoid's and the product), Mish (softplus, tanh, multiply) | 5 |
// | Celu (divide, exp, subtract, multiply, min, max, add) | 7 |
// | Gelu: exact (divide, erf, add, two multiplies) 5; tanh approximation (cube: 2, scale, add, scale, tanh, add, two multiplies) 9 |
// | Mod, BitShift, BitwiseAnd/Or/Xor, Or, Xor, Greater, Less, LessOrEqual | 1 |
// | PRelu (compare, multiply) | 2 |
// | Sum, Min, Max of N inputs | N − 1 |
// | Mean of N inputs | N (the N − 1 additions and the division) |
// | CastLike | 0 (data movement) |
extension CostContext {
    func elementwiseFamilyCost() throws(CountError) -> Cost {
        switch op {
        case .unary(let function): try elementwiseCost(flopsPerElement: Self.flopsPerElement(function))
        case .binary(.prelu): try elementwiseCost(flopsPerElement: 2)
        case .binary: try elementwiseCost(flopsPerElement: 1)
        case .variadic(let operation):
            try elementwiseCost(flopsPerElement: operation == .mean ? inputTypes.count : inputTypes.count - 1)
        default: .free
        }
    }

    static func flopsPerElement(_ function: UnaryFunction) -> Int {
        switch function {
        case .leakyRelu, .shrink: 2
        case .softplus, .softsign: 3
        case .elu, .hardSigmoid, .swish: 4
        case .selu, .hardSwish, .mish: 5
        case .celu: 7
        case .gelu(let tanhApproximation): tanhApproximation ? 9 : 5
        default: 1
        }
    }
}
