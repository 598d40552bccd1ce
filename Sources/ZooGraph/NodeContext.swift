import ZooTensor

/// What shape inference knows at one node: its input types and any constant input values.
/// The helpers throw errors that name the node and its op.
struct NodeContext {
    struct Output {
        var type: TensorType
        var constant: Tensor? = nil
        /// For small integer tensors (shapes, sizes): their element values as dims, known
        /// even when symbolic (Shape of `[batch, seq]` is `[batch, seq]`).
        var dimValues: [Dim]? = nil
    }

    let node: Node
    let inputTypes: [TensorType?]
    let constants: [Tensor?]
    let dimValues: [[Dim]?]
    /// What the node's subgraphs see of the graphs around them; empty for other nodes.
    let scope: EnclosingScope

    init(node: Node, inputTypes: [TensorType?], constants: [Tensor?], dimValues: [[Dim]?],
         scope: EnclosingScope = EnclosingScope()) {
        self.node = node
        self.inputTypes = inputTypes
        self.constants = constants
        self.dimValues = dimValues
        self.scope = scope
    }

    var opName: String { node.op.onnxName }

    func fail(_ message: String) -> GraphError {
        .shape(node: node.name, op: opName, message: message)
    }

    func badAttribute(_ name: String, _ message: String) -> GraphError {
        .attribute(node: node.name, op: opName, name: name, message: message)
    }

    /// The type of a required input.
    func type(_ index: Int) throws(GraphError) -> TensorType {
        guard index < inputTypes.count, let type = inputTypes[index] else {
            throw .inputCount(node: node.name, op: opName, expected: node.op.inputArity, actual: index)
        }
        return type
    }

    func optionalType(_ index: Int) -> TensorType? {
        index < inputTypes.count ? inputTypes[index] : nil
    }

    /// The type of input `index`, which must have one of `allowed` dtypes.
    func type(_ index: Int, dtypeIn allowed: Set<DType>, described: String) throws(GraphError) -> TensorType {
        let found = try type(index)
        guard allowed.contains(found.dtype) else {
            throw .dtype(node: node.name, op: opName, input: node.inputs[index], expected: described, actual: found.dtype)
        }
        return found
    }

    func floatType(_ index: Int) throws(GraphError) -> TensorType {
        try type(index, dtypeIn: [.float32, .float16, .bfloat16, .float64], described: "a floating-point tensor")
    }

    func integerType(_ index: Int) throws(GraphError) -> TensorType {
        try type(index, dtypeIn: [.int64, .int32], described: "int64 or int32")
    }

    /// Requires input `index` to have the same dtype as input `reference`.
    func requireSameDType(_ index: Int, as reference: Int) throws(GraphError) {
        let expected = try type(reference).dtype
        let found = try type(index).dtype
        guard expected == found else {
            throw .dtype(node: node.name, op: opName, input: node.inputs[index], expected: "\(expected) (like '\(node.inputs[reference])')", actual: found)
        }
    }

    func requireRank(_ index: Int, _ ranks: ClosedRange<Int>, role: String) throws(GraphError) -> TensorType {
        let found = try type(index)
        guard ranks.contains(found.rank) else {
            let expected = ranks.lowerBound == ranks.upperBound ? "\(ranks.lowerBound)" : "\(ranks.lowerBound) to \(ranks.upperBound)"
            throw fail("\(role) '\(node.inputs[index])' must have rank \(expected), got \(found)")
        }
        return found
    }

    /// Integer values of a constant input (shape, axes, bounds), or nil when the input is
    /// absent. A present but non-constant input is an error naming `role`.
    func constantIntegers(_ index: Int, role: String) throws(GraphError) -> [Int]? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return nil }
        _ = try integerType(index)
        guard let tensor = constants[index], let values = tensor.integerValues else {
            throw .nonConstantInput(node: node.name, op: opName, input: node.inputs[index], role: role)
        }
        return values
    }

    /// Resolves a possibly negative axis against `rank`.
    func axis(_ axis: Int, rank: Int, attribute: String = "axis") throws(GraphError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard (0..<max(rank, 1)).contains(resolved) || (rank == 0 && resolved == 0) else {
            throw badAttribute(attribute, "is \(axis), outside the valid range [-\(rank), \(rank - 1)] for rank \(rank)")
        }
        return resolved
    }

    /// A dimension whose size this node cannot know statically: a fresh symbol named after it.
    func freshDim(_ index: Int) -> Dim {
        .symbolic("\(node.name):\(index)")
    }

    /// Runs size arithmetic on values from the file (attributes, constants, declared sizes),
    /// naming this node and `what` was computed if it overflows.
    func checked<Value>(_ what: String, _ compute: () throws(ArithmeticOverflow) -> Value) throws(GraphError) -> Value {
        do { return try compute() } catch { throw fail("\(what): \(error)") }
    }

    func product(_ dims: some Sequence<Dim>) throws(GraphError) -> DimProduct {
        guard let product = DimProduct(dims) else {
            throw fail("the element count of \(Array(dims)) overflows 64 bits")
        }
        return product
    }

    func inferOutputs() throws(GraphError) -> [Output] {
        var outputs = try inferOutputTypes()
        if !outputs.isEmpty, outputs[0].constant == nil { outputs[0].dimValues = try propagateDimValues() }
        return outputs
    }

    private func inferOutputTypes() throws(GraphError) -> [Output] {
        switch node.op {
        case .conv(let attributes): [try inferConv(attributes)]
        case .maxPool(let attributes): try inferMaxPool(attributes)
        case .averagePool(let attributes): [try inferPool(attributes)]
        case .globalAveragePool, .globalMaxPool: [try inferGlobalPool()]
        case .lrn(let attributes): [try inferLRN(attributes)]
        case .batchNormalization: [try inferBatchNormalization()]
        case .layerNormalization(let axis, _): try inferLayerNormalization(axis: axis)
        case .gemm(let attributes): [try inferGemm(attributes)]
        case .matMul: [try inferMatMul()]
        case .add, .sub, .mul, .div: [try inferBinary(sameDType: true, boolean: false)]
        case .pow: [try inferBinary(sameDType: false, boolean: false)]
        case .equal, .greaterOrEqual: [try inferBinary(sameDType: true, boolean: true)]
        case .max: [try inferBinary(sameDType: true, boolean: false)]
        case .and: [try inferLogicalAnd()]
        case .isNaN: [Output(type: TensorType(.bool, try floatType(0).dims))]
        case .sigmoid, .tanh, .erf, .sqrt, .exp: [Output(type: try floatType(0))]
        case .relu, .neg: [Output(type: try type(0, dtypeIn: DType.signedNumeric, described: "a floating-point or signed integer tensor"))]
        case .where: [try inferWhere()]
        case .cast(let target): [Output(type: TensorType(target, try type(0).dims))]
        case .clip: [try inferClip()]
        case .softmax(let axis): [try inferSoftmax(axis: axis)]
        case .concat(let axis): [try inferConcat(axis: axis)]
        case .reshape(let allowZero): [try inferReshape(allowZero: allowZero)]
        case .flatten(let axis): [try inferFlatten(axis: axis)]
        case .transpose(let perm): [try inferTranspose(perm: perm)]
        case .gather(let axis): [try inferGather(axis: axis)]
        case .gatherND(let batchDims): [try inferGatherND(batchDims: batchDims)]
        case .unsqueeze: [try inferUnsqueeze()]
        case .squeeze: [try inferSqueeze()]
        case .shape(let start, let end): [try inferShape(start: start, end: end)]
        case .slice: [try inferSlice()]
        case .expand: [try inferExpand()]
        case .constant(let value):
            [Output(type: TensorType(value.dtype, value.shape.map(Dim.fixed)), constant: value)]
        case .constantOfShape(let value): [try inferConstantOfShape(value: value)]
        case .range: [try inferRange()]
        case .identity, .dropout: [Output(type: try type(0)), Output(type: TensorType(.bool, try type(0).dims))]
        case .lstm(let attributes): try inferRecurrent(attributes.recurrent)
        case .scan(let attributes): try inferScan(attributes).outputs
        // Recurrent
        case .recurrent(let attributes): try inferRecurrent(attributes)
        // Convolution, pooling and normalisation variants
        case .convTranspose(let attributes): [try inferConvTranspose(attributes)]
        case .lpPool(let attributes, let p): [try inferLpPool(attributes, p: p)]
        case .maxUnpool(let attributes): [try inferMaxUnpool(attributes)]
        case .normalization(.batchTraining(let epsilon, _)): try inferBatchNormalizationTraining(epsilon: epsilon)
        case .normalization(let normalization): [try inferNormalization(normalization)]
        // Data movement and indexing
        case .movement(let op): try inferMovement(op)
        // Reductions
        case .reduce(let operation, let attributes): [try inferReduce(operation, attributes)]
        case .argReduce(let attributes): [try inferArgReduce(attributes)]
        case .cumulative: [try inferCumulative()]
        case .topK(let attributes): try inferTopK(attributes)
        case .logSoftmax(let axis), .hardmax(let axis): [try inferSoftmax(axis: axis)]
        // Elementwise family
        case .unary, .binary, .variadic, .castLike: [try inferElementwiseFamily()]
        // Losses; image sampling and folding
        case .loss(let attributes): try inferLoss(attributes)
        case .spatial(let op): [try inferSpatial(op)]
        // Algebra and signal
        case .algebra(let op): [try inferAlgebra(op)]
        case .signal(let op): [try inferSignal(op)]
        // Spatial resampling
        case .resample(let op): [try inferResample(op)]
        // Attention and rotary embedding
        case .attention(let op): try inferAttention(op)
        // Selection by value; regions
        case .selection(let op): try inferSelection(op)
        case .region(let op): [try inferRegion(op)]
        // Quantized operators
        case .quantized(let op): try inferQuantized(op)
        // Control flow
        case .controlFlow(let op): try inferControlFlow(op).outputs
        // Stateful decoding operators
        case .stateful(let op): try inferStateful(op)
        }
    }
}
