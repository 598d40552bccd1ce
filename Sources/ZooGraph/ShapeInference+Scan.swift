import ZooTensor

extension NodeContext {
    /// Scan: infers the body with the types this node passes it (states, and slices of the
    /// scanned inputs) and the enclosing graphs' values in view, then stacks the body's
    /// per-iteration outputs along the sequence length, which stays symbolic (`seq`) when it is.
    func inferScan(_ attributes: ScanAttributes) throws(GraphError) -> (outputs: [Output], body: ShapeInference.Result) {
        guard scope.depth <= Graph.maximumSubgraphDepth else {
            throw badAttribute("body", "nests subgraphs more than \(Graph.maximumSubgraphDepth) levels deep")
        }
        let body = attributes.body
        let layout = try scanLayout(attributes)
        let (passed, sequenceLength) = try bodyInputTypes(stateCount: layout.stateCount, scanAxes: layout.inputAxes)
        var bodyWithPassedTypes = body
        for (index, type) in passed.enumerated() {
            guard !body.inputs[index].isDeclared || Self.compatible(body.inputs[index].type, type) else {
                throw fail("body input '\(body.inputs[index].name)' is declared \(body.inputs[index].type), but receives \(type)")
            }
            bodyWithPassedTypes.inputs[index].type = type
        }

        let inferred: ShapeInference.Result
        do { inferred = try ShapeInference.run(bodyWithPassedTypes, enclosing: scope) } catch {
            throw .subgraph(node: node.name, op: opName, error)
        }
        let returned = body.outputs.map { inferred.types[$0.name] ?? scope.types[$0.name] ?? $0.type }
        for index in 0..<layout.stateCount where !Self.compatible(returned[index], passed[index]) {
            throw fail("body output '\(body.outputs[index].name)' is \(returned[index]), but carries the state '\(body.inputs[index].name)' of \(passed[index])")
        }
        var outputs = returned.prefix(layout.stateCount).map { Output(type: $0) }
        for (offset, axis) in layout.outputAxes.enumerated() {
            let perIteration = returned[layout.stateCount + offset]
            let position = try self.axis(axis, rank: perIteration.rank + 1, attribute: "scan_output_axes")
            var stacked = perIteration.dims
            stacked.insert(sequenceLength, at: position)
            outputs.append(Output(type: TensorType(perIteration.dtype, stacked)))
        }
        return (outputs, inferred)
    }

    /// How the node's inputs and the body's outputs divide into states, scanned inputs and
    /// per-iteration outputs, with the attributes checked against those counts.
    private func scanLayout(_ attributes: ScanAttributes) throws(GraphError)
        -> (stateCount: Int, inputAxes: [Int], outputAxes: [Int])
    {
        let scannedCount = attributes.scanInputCount
        guard (1...node.inputs.count).contains(scannedCount) else {
            throw badAttribute("num_scan_inputs", "is \(scannedCount), must be between 1 and the input count \(node.inputs.count)")
        }
        let stateCount = node.inputs.count - scannedCount
        let body = attributes.body
        guard body.inputs.count == node.inputs.count else {
            throw fail("the body takes \(body.inputs.count) inputs, but the node passes \(stateCount) states and \(scannedCount) scanned slices")
        }
        let perIterationCount = body.outputs.count - stateCount
        guard perIterationCount >= 0 else {
            throw fail("the body returns \(body.outputs.count) outputs, fewer than the \(stateCount) states it carries")
        }
        guard node.outputs.count <= body.outputs.count else {
            throw fail("the node names \(node.outputs.count) outputs, but the body returns \(body.outputs.count)")
        }
        for (values, name, count) in [(attributes.scanInputDirections, "scan_input_directions", scannedCount),
                                      (attributes.scanOutputDirections, "scan_output_directions", perIterationCount)] {
            guard try perTensor(values, count: count, attribute: name).allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw badAttribute(name, "must hold 0 (forward) or 1 (reverse), got \(values ?? [])")
            }
        }
        return (stateCount, try perTensor(attributes.scanInputAxes, count: scannedCount, attribute: "scan_input_axes"),
                try perTensor(attributes.scanOutputAxes, count: perIterationCount, attribute: "scan_output_axes"))
    }

    /// What the body receives: the states as they are, then each scanned input without its
    /// scan axis; and the sequence length, the length of the first scanned input's axis.
    private func bodyInputTypes(stateCount: Int, scanAxes: [Int]) throws(GraphError) -> (types: [TensorType], sequenceLength: Dim) {
        var types = try (0..<stateCount).map { (index: Int) throws(GraphError) in try type(index) }
        var lengths: [Dim] = []
        for (offset, axis) in scanAxes.enumerated() {
            let scanned = try type(stateCount + offset)
            guard scanned.rank >= 1 else { throw fail("scanned input '\(node.inputs[stateCount + offset])' is a scalar") }
            let position = try self.axis(axis, rank: scanned.rank, attribute: "scan_input_axes")
            let length = scanned.dims[position]
            if let first = lengths.first?.value, let size = length.value, first != size {
                throw fail("scanned inputs have different sequence lengths, \(first) and \(size)")
            }
            lengths.append(length)
            var slice = scanned.dims
            slice.remove(at: position)
            types.append(TensorType(scanned.dtype, slice))
        }
        return (types, lengths[0])
    }

    /// One value per scanned input or per-iteration output; 0 for each when absent.
    private func perTensor(_ values: [Int]?, count: Int, attribute: String) throws(GraphError) -> [Int] {
        guard let values else { return Array(repeating: 0, count: count) }
        guard values.count == count else { throw badAttribute(attribute, "has \(values.count) values for \(count) tensors") }
        return values
    }

    /// Same dtype and rank, and equal sizes wherever both are fixed.
    static func compatible(_ declared: TensorType, _ actual: TensorType) -> Bool {
        declared.dtype == actual.dtype && declared.rank == actual.rank
            && zip(declared.dims, actual.dims).allSatisfy { pair in
                guard let a = pair.0.value, let b = pair.1.value else { return true }
                return a == b
            }
    }
}
