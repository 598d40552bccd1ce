import ZooGraph

extension ComplexityReport {
    /// The symbols of `types` that the graph's inputs do not declare: sizes shape inference
    /// could not know because they depend on values computed while the graph runs (a Reshape
    /// target built from an input, NonZero's count). Counts may be polynomials in them.
    static func runTimeDims(of types: [TensorType], inputs: [ValueInfo]) -> [String] {
        func symbols(_ dims: [Dim]) -> Set<String> { Set(dims.flatMap { DimProduct([$0])?.symbols ?? [] }) }
        let declared = symbols(inputs.flatMap(\.type.dims))
        return symbols(types.flatMap(\.dims)).subtracting(declared).sorted()
    }
}
