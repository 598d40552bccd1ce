import ZooGraph
import ZooTensor

/// Checks run inputs against the graph's declared inputs before any work, and binds the
/// symbolic dimensions (`batch`, `seq`) to the sizes of this run. Product dims such as
/// `batch*seq` are checked once their symbols are bound.
struct InputBinding {
    /// Input shapes in the graph's input order: the key of the plan cache.
    let shapes: [[Int]]
    let symbols: [String: Int]

    init(declared: [ValueInfo], tensors: [String: Tensor]) throws(RuntimeError) {
        let declaredNames = Set(declared.map(\.name))
        for name in tensors.keys.sorted() where !declaredNames.contains(name) {
            throw .unknownInput(name: name, known: declared.map(\.name))
        }
        var symbols: [String: Int] = [:]
        var shapes: [[Int]] = []
        for input in declared {
            guard let tensor = tensors[input.name] else { throw .missingInput(name: input.name) }
            guard tensor.dtype == input.type.dtype else {
                throw .inputDType(name: input.name, expected: input.type.dtype, actual: tensor.dtype)
            }
            guard tensor.rank == input.type.rank else {
                throw .inputRank(name: input.name, expected: "\(input.type.dims)", actual: tensor.shape)
            }
            for (dim, size) in zip(input.type.dims, tensor.shape) {
                guard case .symbolic(let name) = dim, let product = DimProduct([dim]),
                      product.factor == 1, product.symbols.count == 1 else { continue }
                if let bound = symbols[name], bound != size {
                    throw .inputShape(name: input.name, expected: "\(input.type.dims)", actual: tensor.shape,
                                      reason: "'\(name)' is \(bound) in another input but \(size) here")
                }
                symbols[name] = size
            }
            shapes.append(tensor.shape)
        }
        for (input, shape) in zip(declared, shapes) {
            for (dim, size) in zip(input.type.dims, shape) {
                guard let expected = Self.evaluate(dim, symbols), expected != size else { continue }
                throw .inputShape(name: input.name, expected: "\(input.type.dims)", actual: shape,
                                  reason: "dimension \(dim) must be \(expected), got \(size)")
            }
        }
        self.shapes = shapes
        self.symbols = symbols
    }

    /// The size of `dim` under `symbols`, or nil while one of its symbols is unbound.
    static func evaluate(_ dim: Dim, _ symbols: [String: Int]) -> Int? {
        guard let product = DimProduct([dim]) else { return nil }
        var size = product.factor
        for symbol in product.symbols {
            guard let value = symbols[symbol] else { return nil }
            size *= value
        }
        return size
    }
}
