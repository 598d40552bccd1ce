import ZooTensor

extension ExecutionPlan {
    /// Runs the plan on `inputs` (addresses in graph-input order) in a run context of its
    /// pool and writes every output into `outputs`: tensors already there with the right
    /// dtype and shape (and not shared) are overwritten in place, others are allocated (and
    /// counted in `allocations` when given).
    func run(inputs: [UnsafeRawPointer], into outputs: inout [String: Tensor],
             allocations: AllocationCounter?) throws(RuntimeError) {
        try contexts.withContext { (context) throws(RuntimeError) in
            try inputs.withUnsafeBufferPointer { (addresses) throws(RuntimeError) in
                try execute(inputs: addresses, in: context.memory)
                for output in self.outputs {
                    var tensor = try Self.reusableOutput(outputs[output.name], type: output.type, allocations: allocations)
                    // Dropped from the dictionary so that its reference does not make the
                    // write below copy the tensor first (copy-on-write).
                    outputs[output.name] = nil
                    tensor.withUnsafeMutableBytes { bytes in
                        guard let destination = bytes.baseAddress, bytes.count > 0 else { return }
                        destination.copyMemory(from: address(of: output.location, inputs: addresses, arena: context.memory.arena),
                                               byteCount: bytes.count)
                    }
                    outputs[output.name] = tensor
                }
            }
        }
    }

    private static func reusableOutput(_ existing: Tensor?, type: ValueType,
                                       allocations: AllocationCounter?) throws(RuntimeError) -> Tensor {
        if let existing, existing.dtype == type.dtype, existing.shape == type.shape { return existing }
        allocations?.record()
        do { return try Tensor(zeros: type.shape, dtype: type.dtype) } catch { throw .tensor(error) }
    }
}
