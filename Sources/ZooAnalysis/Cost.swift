/// What one node computes: multiply-accumulates, and floating-point operations including
/// the two of every multiply-accumulate.
struct Cost: Hashable, Sendable {
    var macs: Polynomial
    var flops: Polynomial

    /// Data movement: no arithmetic.
    static let free = Cost(macs: .zero, flops: .zero)
}

extension Cost {
    /// `macs` multiply-accumulates (2 FLOPs each) and `otherFLOPs` lone operations.
    init(macs: Polynomial, otherFLOPs: Polynomial = .zero) throws(PolynomialError) {
        self.macs = macs
        flops = try 2 * macs + otherFLOPs
    }

    /// `flopsPerElement` lone operations for each of `elements`, and no MACs.
    init(elements: Polynomial, flopsPerElement: Polynomial) throws(PolynomialError) {
        try self.init(macs: .zero, otherFLOPs: elements * flopsPerElement)
    }
}
