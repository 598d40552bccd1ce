import CDNNL
import ZooTensor

/// A compiled oneDNN primitive plus the operands fixed at compile time (prepacked weights,
/// bias). Run-time operands are wrapped in memory objects for each execution, so the same
/// call can run on several threads at once with different buffers.
struct DNNLCall: @unchecked Sendable {
    let node: String
    let primitive: DNNLPrimitive
    let fixedOperands: [(argument: Int32, memory: DNNLMemory)]
    /// Created for one thread (SmallWork), so it must also execute on one.
    let singleThreaded: Bool

    var scratchByteCount: Int { primitive.scratchpadByteCount }

    /// Executes with run-time operands given as (argument, descriptor, address); the
    /// scratchpad starts `scratchOffset` bytes into the kernel's scratch memory.
    func execute(_ operands: [(argument: Int32, descriptor: dnnl_memory_desc_t, address: UnsafeRawPointer)],
                 _ io: KernelIO, scratchOffset: Int = 0) throws(RuntimeError) {
        let engine = try DNNLEngine.shared.get()
        var memories: [DNNLMemory] = []
        memories.reserveCapacity(operands.count + 1)
        for operand in operands {
            memories.append(try DNNLMemory(operand.descriptor, engine, data: UnsafeMutableRawPointer(mutating: operand.address), node: node))
        }
        var arguments = zip(operands, memories).map { dnnl_exec_arg_t(arg: $0.argument, memory: $1.handle) }
        arguments += fixedOperands.map { dnnl_exec_arg_t(arg: $0.argument, memory: $0.memory.handle) }
        if scratchByteCount > 0, let scratch = io.scratch {
            let scratchpad = try DNNLMemory(try memoryDescriptor([scratchByteCount / 4 + 1], dnnl_a, node: node), engine,
                                            data: scratch + scratchOffset, node: node)
            memories.append(scratchpad)
            arguments.append(dnnl_exec_arg_t(arg: DNNLArgument.scratchpad, memory: scratchpad.handle))
        }
        guard let stream = io.stream else { throw .dnnl(node: node, call: "execute", status: "no stream") }
        try SmallWork.run(singleThreaded: singleThreaded) { () throws(RuntimeError) in
            try primitive.execute(stream, arguments, node: node)
        }
        withExtendedLifetime(memories) {}
    }
}

/// Compile-time helpers: constant operands copied or reordered into the layout a
/// primitive chose.
enum DNNLConstants {
    /// A oneDNN-owned memory in `target` layout holding `tensor`, read through `source`
    /// (its plain or strided descriptor); done once at compile time.
    static func pack(_ tensor: Tensor, source: dnnl_memory_desc_t, into target: dnnl_memory_desc_t, node: String)
        throws(RuntimeError) -> DNNLMemory
    {
        let engine = try DNNLEngine.shared.get()
        let packed = try DNNLMemory(target, engine, data: nil, node: node)
        // oneDNN's memory takes a non-const pointer, but a reorder only reads its source.
        // Reading the tensor in place avoids a temporary copy of every weight while packing
        // (which set the session's peak memory for large models).
        let outcome = tensor.withUnsafeBytes { bytes in
            Result { () throws(RuntimeError) in
                let user = try DNNLMemory(source, engine, data: UnsafeMutableRawPointer(mutating: bytes.baseAddress), node: node)
                let descriptor = try DNNLPrimitiveDescriptor(reorderFrom: source, to: target, attributes: nil, engine, node: node)
                let reorder = try DNNLPrimitive(descriptor, node: node)
                try reorder.execute(try DNNLStream(engine), [dnnl_exec_arg_t(arg: DNNLArgument.from, memory: user.handle),
                                                             dnnl_exec_arg_t(arg: DNNLArgument.to, memory: packed.handle)],
                                    node: node)
            }
        }
        try outcome.get()
        return packed
    }

    /// A float32 tensor scaled by `factor` (Gemm's alpha and beta folded into constants).
    static func scaled(_ tensor: Tensor, by factor: Float) -> Tensor {
        guard factor != 1 else { return tensor }
        var result = tensor
        result.withUnsafeMutableBytes { bytes in
            for index in bytes.bindMemory(to: Float.self).indices { bytes.bindMemory(to: Float.self)[index] *= factor }
        }
        return result
    }
}

extension KernelContext {
    /// Primitive attributes carrying the node's epilogue as post-ops; returns the epilogue
    /// operands' positions so the kernel can pass them at run time. A residual operand must
    /// have the output's shape, stored as `operandTag` says (plain unless given);
    /// `primitiveShape` is how the primitive sees the output (MatMul may merge batch rows).
    func postOpAttributes(outputShape: [Int], primitiveShape: [Int], operandTag: dnnl_format_tag_t? = nil) throws(RuntimeError)
        -> (DNNLAttributes, [(postOpIndex: Int, value: String, descriptor: dnnl_memory_desc_t)])
    {
        let attributes = try DNNLAttributes(node: node.name)
        var operands: [(Int, String, dnnl_memory_desc_t)] = []
        for (index, step) in node.epilogue.enumerated() {
            switch step {
            case .relu: try attributes.appendEltwise(dnnl_eltwise_relu, node: node.name)
            case .sigmoid: try attributes.appendEltwise(dnnl_eltwise_logistic, node: node.name)
            case .tanh: try attributes.appendEltwise(dnnl_eltwise_tanh, node: node.name)
            case .geluErf: try attributes.appendEltwise(dnnl_eltwise_gelu_erf, node: node.name)
            case .swish: try attributes.appendEltwise(dnnl_eltwise_swish, alpha: 1, node: node.name)
            case .clip(let lower, let upper):
                try attributes.appendEltwise(dnnl_eltwise_clip, alpha: lower, beta: upper, node: node.name)
            case .add(let value):
                let position = node.kernelInputs.firstIndex(of: value)
                guard let position, optionalType(position)?.shape == outputShape,
                      optionalType(position)?.dtype == .float32 else {
                    throw unsupported("a fused Add needs a float32 operand shaped like the output \(outputShape)")
                }
                let descriptor = try memoryDescriptor(primitiveShape, operandTag ?? plainTag(rank: primitiveShape.count), node: node.name)
                try attributes.appendBinaryAdd(descriptor, node: node.name)
                operands.append((index, value, descriptor))
            }
        }
        return (attributes, operands)
    }
}
