import CDNNL
import ZooGraph
import ZooTensor

/// MatMul (numpy semantics: 1-D operands promoted, batch axes broadcast) and Gemm
/// (transposes as strided views, alpha and beta folded into constants; other Cs through
/// `GemmBroadcastCKernel`) through oneDNN's
/// matmul primitive. Constant weights are prepacked at compile time; when the weights have
/// no batch axes the batch rows of A merge into one tall GEMM. A fused bias ([N], moved
/// here from an Add) and epilogue post-ops run inside the primitive.
struct MatMulKernel: Kernel {
    let call: DNNLCall?
    let sourceDescriptor: dnnl_memory_desc_t
    let destinationDescriptor: dnnl_memory_desc_t
    let weightsDescriptor: dnnl_memory_desc_t?
    let epilogueOperands: [(argument: Int32, descriptor: dnnl_memory_desc_t)]
    let operandCount: Int

    var scratchByteCount: Int { call?.scratchByteCount ?? 0 }

    /// How the primitive sees the operands: dims and strides of A and B, dims of the output.
    struct Geometry {
        var source: [Int], sourceStrides: [Int]
        var weights: [Int], weightsStrides: [Int]
        var destination: [Int]
        var outputShape: [Int]
        var columns: Int
        /// Gemm's alpha, folded into constant weights or applied as an output scale.
        var alpha: Float = 1
    }

    static func prepareMatMul(_ context: KernelContext) throws(RuntimeError) -> PreparedKernel {
        let a = try context.floatType(0).shape, b = try context.floatType(1).shape
        let aMatrix = a.count == 1 ? [1] + a : a, bMatrix = b.count == 1 ? b + [1] : b
        guard aMatrix.count >= 2, bMatrix.count >= 2 else { throw context.fail("MatMul operands must not be scalars") }
        let (m, k) = (aMatrix[aMatrix.count - 2], aMatrix[aMatrix.count - 1])
        let (k2, n) = (bMatrix[bMatrix.count - 2], bMatrix[bMatrix.count - 1])
        let aBatch = Array(aMatrix.dropLast(2)), bBatch = Array(bMatrix.dropLast(2))
        guard k == k2, let batch = BinaryKernel.broadcastShape(aBatch, bBatch) else {
            throw context.fail("cannot multiply \(a) by \(b)")
        }
        let outputShape = batch + (a.count == 1 ? [] : [m]) + (b.count == 1 ? [] : [n])
        var geometry: Geometry
        if bBatch.allSatisfy({ $0 == 1 }) {
            // One weight matrix for every batch: A's rows form one [batch·M, K] GEMM.
            let rows = batch.reduce(1, *) * m
            geometry = Geometry(source: [rows, k], sourceStrides: [k, 1], weights: [k, n], weightsStrides: [n, 1],
                                destination: [rows, n], outputShape: outputShape, columns: n)
        } else {
            let rank = batch.count
            let padded = { (shape: [Int]) in Array(repeating: 1, count: rank - shape.count) + shape }
            let source = padded(aBatch) + [m, k], weights = padded(bBatch) + [k, n]
            geometry = Geometry(source: source, sourceStrides: StridedLayout.rowMajorStrides(source),
                                weights: weights, weightsStrides: StridedLayout.rowMajorStrides(weights),
                                destination: batch + [m, n], outputShape: outputShape, columns: n)
        }
        return try prepare(context, geometry, bias: try fusedBias(context, columns: n))
    }

    /// A bias input moved onto a MatMul by fusion: a constant with N elements.
    private static func fusedBias(_ context: KernelContext, columns: Int) throws(RuntimeError) -> Tensor? {
        guard context.node.input(2) != nil else { return nil }
        guard let bias = context.constant(2), bias.dtype == .float32, bias.elementCount == columns else {
            throw context.fail("a fused MatMul bias must be a float32 constant of \(columns) elements")
        }
        return bias
    }

    static func prepareGemm(_ context: KernelContext, _ attributes: GemmAttributes) throws(RuntimeError) -> PreparedKernel {
        let a = try context.floatType(0).shape, b = try context.floatType(1).shape
        guard a.count == 2, b.count == 2 else { throw context.fail("Gemm operands must be matrices, got \(a) and \(b)") }
        let (m, k) = attributes.transA ? (a[1], a[0]) : (a[0], a[1])
        let (k2, n) = attributes.transB ? (b[1], b[0]) : (b[0], b[1])
        guard k == k2 else { throw context.fail("cannot multiply \(a) by \(b) (transA \(attributes.transA), transB \(attributes.transB))") }
        let geometry = Geometry(source: [m, k], sourceStrides: attributes.transA ? [1, m] : [k, 1],
                                weights: [k, n], weightsStrides: attributes.transB ? [1, k] : [n, 1],
                                destination: [m, n], outputShape: [m, n], columns: n, alpha: attributes.alpha)
        guard context.node.input(2) != nil else { return try prepare(context, geometry, bias: nil) }
        let c = try context.floatType(2)
        if let constant = context.constant(2) {
            // A constant row is the primitive's bias; oneDNN scales the bias with a run-time B's alpha.
            let isRow = c.elementCount == 1 || (c.shape.last == n && c.elementCount == n)
            guard isRow, attributes.alpha == 1 || context.constant(1) != nil else {
                return try GemmBroadcastCKernel.prepare(context, attributes, rows: m, columns: n)
            }
            return try prepare(context, geometry, bias: try expanded(constant, columns: n, scale: attributes.beta))
        }
        guard attributes.beta == 1, c.shape == [m, n] else {
            return try GemmBroadcastCKernel.prepare(context, attributes, rows: m, columns: n)
        }
        return try prepareGemm(movingCToEpilogue(context), attributes)
    }

    /// The node with its C as the first epilogue step, a binary-add post-op after alpha·A·B
    /// and before any fused activation. The kernel inputs keep their order: C was the last op
    /// input, and epilogue operands come right after the op inputs. `expandedTo` gives C the
    /// run-time shape of the matrix `GemmBroadcastCKernel` expands it into.
    static func movingCToEpilogue(_ context: KernelContext, expandedTo shape: [Int]? = nil) -> KernelContext {
        var node = context.node
        node.epilogue.insert(.add(node.inputs.removeLast()), at: 0)
        var inputTypes = context.inputTypes, constants = context.constants
        if let shape {
            inputTypes[2] = ValueType(.float32, shape)
            if constants.count > 2 { constants[2] = nil }
        }
        return KernelContext(node: node, inputTypes: inputTypes, constants: constants,
                             options: context.options, compilesPrimitives: context.compilesPrimitives)
    }

    /// C (a scalar or [N]-sized row) as an [N] bias scaled by beta.
    private static func expanded(_ c: Tensor, columns: Int, scale: Float) throws(RuntimeError) -> Tensor {
        let values = (try? c.scalars(as: Float.self)) ?? []
        let row = values.count == 1 ? Array(repeating: values[0], count: columns) : values
        do { return try Tensor(shape: [columns], scalars: row.map { $0 * scale }) } catch { throw .tensor(error) }
    }

    private static func prepare(_ context: KernelContext, _ geometry: Geometry, bias: Tensor?) throws(RuntimeError) -> PreparedKernel {
        let outputs = [ValueType(.float32, geometry.outputShape)]
        guard context.compilesPrimitives else {
            return PreparedKernel(kernel: MatMulKernel(call: nil, sourceDescriptor: .init(), destinationDescriptor: .init(),
                                                       weightsDescriptor: nil, epilogueOperands: [], operandCount: 0),
                                  outputTypes: outputs)
        }
        if let kernel = try MatrixVectorKernel.make(context, geometry, weights: context.constant(1), bias: bias) {
            return PreparedKernel(kernel: kernel, outputTypes: outputs, packedInputs: [1, 2].filter { context.constant($0) != nil })
        }
        let (attributes, epilogue) = try context.postOpAttributes(outputShape: geometry.outputShape,
                                                                  primitiveShape: geometry.destination)
        let compiled = try compile(geometry, weights: context.constant(1), bias: bias, attributes: attributes,
                                   node: context.node.name)
        let kernel = MatMulKernel(
            call: compiled.call, sourceDescriptor: compiled.source, destinationDescriptor: compiled.destination,
            weightsDescriptor: context.constant(1) == nil ? compiled.weights : nil,
            epilogueOperands: epilogue.map { (DNNLArgument.postOpOperand($0.postOpIndex), $0.descriptor) },
            operandCount: context.node.inputs.count)
        return PreparedKernel(kernel: kernel, outputTypes: outputs, packedInputs: [1, 2].filter { context.constant($0) != nil })
    }

    /// Creates the matmul primitive for `geometry`; constant weights (scaled by alpha) and a
    /// bias are packed into it. Returns the run-time descriptors of A, the output and B.
    static func compile(_ geometry: Geometry, weights constantWeights: Tensor?, bias: Tensor?,
                        attributes: DNNLAttributes, node name: String)
        throws(RuntimeError) -> (call: DNNLCall, source: dnnl_memory_desc_t, destination: dnnl_memory_desc_t,
                                 weights: dnnl_memory_desc_t)
    {
        let rank = geometry.destination.count
        var source = try memoryDescriptor(geometry.source, strides: geometry.sourceStrides, node: name)
        var destination = try memoryDescriptor(geometry.destination, plainTag(rank: rank), node: name)
        let plainWeights = try memoryDescriptor(geometry.weights, strides: geometry.weightsStrides, node: name)
        let constantWeights = constantWeights.map { DNNLConstants.scaled($0, by: geometry.alpha) }
        var weights = constantWeights == nil ? plainWeights : try memoryDescriptor(geometry.weights, dnnl_format_tag_any, node: name)
        let biasShape = Array(repeating: 1, count: rank - 1) + [geometry.columns]
        var biasDescriptor = bias == nil ? nil : try memoryDescriptor(biasShape, plainTag(rank: rank), node: name)
        var operation = dnnl_matmul_desc_t()
        try withOptionalPointer(to: &biasDescriptor) { biasPointer throws(RuntimeError) in
            try check(dnnl_matmul_desc_init(&operation, &source, &weights, biasPointer, &destination),
                      "dnnl_matmul_desc_init", node: name)
        }
        if constantWeights == nil && geometry.alpha != 1 { try attributes.setOutputScale(geometry.alpha, node: name) }
        let engine = try DNNLEngine.shared.get()
        let singleThreaded = SmallWork.isSmall(geometry.destination + [geometry.source[geometry.source.count - 1]])
        let descriptor = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try DNNLPrimitiveDescriptor(operation: &operation, attributes: attributes, engine, node: name)
        }
        var fixed: [(Int32, DNNLMemory)] = []
        if let constantWeights {
            let chosen = descriptor.memoryDescriptor(dnnl_query_weights_md)
            fixed.append((DNNLArgument.weights, try DNNLConstants.pack(constantWeights, source: plainWeights, into: chosen, node: name)))
        }
        if let bias, let biasDescriptor {
            fixed.append((DNNLArgument.bias, try DNNLConstants.pack(bias, source: biasDescriptor, into: biasDescriptor, node: name)))
        }
        // Created under the thread count its descriptor saw: oneDNN sizes per-thread
        // buffers from the count at each step, and a mismatch crashed in its JIT.
        let primitive = try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try DNNLPrimitive(descriptor, node: name)
        }
        let call = DNNLCall(node: name, primitive: primitive, fixedOperands: fixed, singleThreaded: singleThreaded)
        return (call, source, destination, plainWeights)
    }

    func run(_ io: KernelIO) throws(RuntimeError) {
        guard let call else { return }
        var operands = [(argument: DNNLArgument.source, descriptor: sourceDescriptor, address: io.input(0)),
                        (argument: DNNLArgument.destination, descriptor: destinationDescriptor,
                         address: UnsafeRawPointer(io.output(0)))]
        if let weightsDescriptor { operands.append((DNNLArgument.weights, weightsDescriptor, io.input(1))) }
        for (index, operand) in epilogueOperands.enumerated() {
            operands.append((operand.argument, operand.descriptor, io.input(operandCount + index)))
        }
        try call.execute(operands, io)
    }
}
