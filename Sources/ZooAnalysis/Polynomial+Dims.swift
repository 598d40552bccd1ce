import ZooGraph

extension Polynomial {
    /// A dimension as a polynomial: `7` → 7, `batch` → batch, `2*batch*seq` → 2·batch·seq.
    init(_ dim: Dim) throws(PolynomialError) {
        guard let product = DimProduct([dim]) else { throw .overflow }
        self.init(product.factor, Monomial(product.symbols))
    }

    /// The product of `dims`.
    init(product dims: some Sequence<Dim>) throws(PolynomialError) {
        var total: Polynomial = 1
        for dim in dims { total = try total * Polynomial(dim) }
        self = total
    }

    /// The number of elements of a tensor of `type`.
    init(elementCountOf type: TensorType) throws(PolynomialError) {
        try self.init(product: type.dims)
    }
}
