import ZooGraph

/// One node with the inferred types of its inputs and outputs: what a cost rule reads.
/// Helpers turn sizes into polynomials and report overflow against the node.
struct CostContext {
    let node: Node
    /// nil for an omitted optional input.
    let inputTypes: [TensorType?]
    /// nil for an unnamed output.
    let outputTypes: [TensorType?]
    /// What each of the node's subgraphs sees (a Scan's or Loop's body, an If's branches),
    /// in `Op.subgraphs` order; empty for other ops.
    var subgraphs: [CountingScope] = []
    /// What a Scan's or Loop's body sees.
    var body: CountingScope? { subgraphs.first }

    var op: Op { node.op }

    func hasInput(_ index: Int) -> Bool {
        index < inputTypes.count && inputTypes[index] != nil
    }

    /// The type of a required input (shape inference has checked that it exists).
    func input(_ index: Int) throws(CountError) -> TensorType {
        guard index < inputTypes.count, let type = inputTypes[index] else {
            throw .graph(.inputCount(node: node.name, op: node.op.onnxName, expected: node.op.inputArity, actual: index))
        }
        return type
    }

    func output(_ index: Int) throws(CountError) -> TensorType {
        guard index < outputTypes.count, let type = outputTypes[index] else {
            throw .unnamedOutput(node: node.name, op: node.op.onnxName, index: index)
        }
        return type
    }

    func inputElements(_ index: Int) throws(CountError) -> Polynomial {
        let type = try input(index)
        return try checked { () throws(PolynomialError) in try Polynomial(elementCountOf: type) }
    }

    func outputElements(_ index: Int = 0) throws(CountError) -> Polynomial {
        let type = try output(index)
        return try checked { () throws(PolynomialError) in try Polynomial(elementCountOf: type) }
    }

    /// Bytes of the named outputs that are not in `excluded`: elements × dtype size.
    func outputBytes(excluding excluded: Set<String>) throws(CountError) -> Polynomial {
        let types = zip(node.outputs, outputTypes).compactMap { name, type in excluded.contains(name) ? nil : type }
        return try checked { () throws(PolynomialError) in
            try Polynomial.sum(types.map { (type: TensorType) throws(PolynomialError) in
                try Polynomial(elementCountOf: type) * Polynomial(type.dtype.byteSize)
            })
        }
    }

    /// Runs polynomial arithmetic, reporting overflow as this node's.
    func checked<Result>(_ body: () throws(PolynomialError) -> Result) throws(CountError) -> Result {
        do { return try body() } catch { throw .overflow(context: "node '\(node.name)' (\(node.op.onnxName))") }
    }
}
