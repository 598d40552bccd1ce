import ZooGraph
import ZooTensor

// Contract: a Gemm in a Scan's body that multiplies the slice of a rank-3 scanned input (not
// transposed) by constant weights, plus an optional constant bias row (a recurrent cell's
// input projection x_t·Wᵀ + b), leaves the loop: one MatMul over the whole scanned input
// computes every step's product at once (a GEMM reading the weights once, instead of a GEMV
// per step), and the body reads that product's slices, as a new scanned input in the same
// direction, under the Gemm's output name.
extension PlanGraph {
    mutating func hoistScanInputProjections() throws(RuntimeError) {
        var index = 0
        while index < nodes.count {
            // A hoisted MatMul goes right before its Scan, which is then looked at again.
            if let projection = try hoistInputProjection(outOf: index) { nodes.insert(projection, at: index) }
            index += 1
        }
    }

    /// A body Gemm that can leave the loop, with its operands as the MatMul outside needs them.
    private struct InputProjection {
        /// Index of the Gemm among the body's nodes, and of the slice it reads among the body's inputs.
        var node: Int, input: Int
        var axis: Int
        /// alpha·B as [K, N], and beta·C as [N].
        var weights: Tensor, bias: Tensor?
    }

    /// Moves the first hoistable Gemm out of the body of the Scan at `index`; returns the
    /// MatMul replacing it, or nil when the node is not a Scan or nothing can move.
    private mutating func hoistInputProjection(outOf index: Int) throws(RuntimeError) -> PlanNode? {
        guard case .scan(var attributes) = nodes[index].op,
              let projection = try inputProjection(of: nodes[index], attributes) else { return nil }
        var scan = nodes[index]
        let gemm = attributes.body.nodes[projection.node]
        let name = "\(scan.name)#\(gemm.name)"
        var inputs = [scan.inputs[projection.input], name + ".weight"]
        constants[inputs[1]] = projection.weights
        types[inputs[1]] = ValueType(of: projection.weights)
        if let bias = projection.bias {
            inputs.append(name + ".bias")
            constants[inputs[2]] = bias
            types[inputs[2]] = ValueType(of: bias)
        }
        let columns = projection.weights.shape[1]
        types[name] = ValueType(.float32, Array(types[inputs[0]]!.shape.dropLast()) + [columns])

        let enclosing = scan.enclosingValues
        let scanned = projection.input - (scan.inputs.count - attributes.scanInputCount)
        let rows = attributes.body.inputs[projection.input].type.dims[0]
        attributes.body.nodes.remove(at: projection.node)
        attributes.body.inputs.append(ValueInfo(name: gemm.outputs[0], type: TensorType(.float32, [rows, .fixed(columns)])))
        let defaults = Array(repeating: 0, count: attributes.scanInputCount)
        attributes.scanInputAxes = (attributes.scanInputAxes ?? defaults) + [projection.axis]
        attributes.scanInputDirections = (attributes.scanInputDirections ?? defaults) + [attributes.scanInputDirections?[scanned] ?? 0]
        attributes.scanInputCount += 1
        scan.op = .scan(attributes)
        scan.inputs.append(name)
        // The body may no longer read the weights; what it still reads keeps its binding.
        scan.implicitInputs = scan.subgraphReferences.compactMap { enclosing[$0] }
        nodes[index] = scan
        return PlanNode(name: name, op: .matMul, inputs: inputs, outputs: [name])
    }

    private func inputProjection(of scan: PlanNode, _ attributes: ScanAttributes) throws(RuntimeError) -> InputProjection? {
        let body = attributes.body, enclosing = scan.enclosingValues
        /// The value of a body operand that is the same at every step and known now: a body
        /// initializer, or a constant of this graph that the body reads.
        func invariant(_ name: String) -> Tensor? {
            guard !body.inputs.contains(where: { $0.name == name }) else { return nil }
            if let initializer = body.initializers.first(where: { $0.name == name }) { return initializer.tensor }
            return enclosing[name].flatMap { constants[$0] }
        }
        let stateCount = scan.inputs.count - attributes.scanInputCount
        for (position, gemm) in body.nodes.enumerated() {
            guard case .gemm(let gemmAttributes) = gemm.op, !gemmAttributes.transA,
                  let slot = body.inputs.firstIndex(where: { $0.name == gemm.inputs[0] }), slot >= stateCount,
                  types[scan.inputs[slot]]?.rank == 3,
                  let axis = Self.resolved(attributes.scanInputAxes?[slot - stateCount] ?? 0, rank: 3), axis < 2,
                  let weights = gemm.input(1).flatMap(invariant)
            else { continue }
            var bias: Tensor?
            if let c = gemm.input(2) {
                guard let known = invariant(c) else { continue }  // a C that changes from step to step
                bias = known
            }
            if let operands = try Self.matMulOperands(gemmAttributes, weights: weights, bias: bias) {
                return InputProjection(node: position, input: slot, axis: axis, weights: operands.weights, bias: operands.bias)
            }
        }
        return nil
    }

    private static func resolved(_ axis: Int, rank: Int) -> Int? {
        let resolved = axis < 0 ? axis + rank : axis
        return (0..<rank).contains(resolved) ? resolved : nil
    }

    /// Gemm's B and C as MatMul operands: alpha·B as a [K, N] matrix (transposed from [N, K]
    /// under transB) and beta·C as an [N] bias; nil unless C is a scalar or a row of N.
    private static func matMulOperands(_ attributes: GemmAttributes, weights: Tensor, bias: Tensor?)
        throws(RuntimeError) -> (weights: Tensor, bias: Tensor?)?
    {
        guard weights.rank == 2, let values = try? weights.scalars(as: Float.self) else { return nil }
        let (rows, columns) = (weights.shape[0], weights.shape[1])
        let width = attributes.transB ? rows : columns
        let scaled = attributes.transB
            ? values.indices.map { attributes.alpha * values[($0 % rows) * columns + $0 / rows] }  // element [k, n] of Bᵀ
            : values.map { attributes.alpha * $0 }
        do {
            let matrix = try Tensor(shape: attributes.transB ? [columns, rows] : [rows, columns], scalars: scaled)
            guard let bias else { return (matrix, nil) }
            guard bias.elementCount == 1 || (bias.shape.last == width && bias.elementCount == width),
                  let terms = try? bias.scalars(as: Float.self) else { return nil }
            let row = (terms.count == 1 ? Array(repeating: terms[0], count: width) : terms).map { attributes.beta * $0 }
            return (matrix, try Tensor(shape: [width], scalars: row))
        } catch { throw .tensor(error) }
    }
}

extension PlanNode {
    /// The enclosing value each name the node's subgraph reads is bound to now.
    fileprivate var enclosingValues: [String: String] {
        Dictionary(zip(subgraphReferences, implicitInputs), uniquingKeysWith: { first, _ in first })
    }
}
