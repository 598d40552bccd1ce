import Foundation
import ZooTensor

extension Tensor {
    /// The address of the storage. Valid while the tensor (or a copy sharing its storage)
    /// lives: storage is a class that never moves its allocation. Plans keep their constant
    /// tensors alive for as long as they run.
    var unsafeAddress: UnsafeRawPointer {
        withUnsafeBytes { $0.baseAddress! }
    }
}

/// Runs one kernel on tensors outside any plan: constant folding uses it at compile time.
enum KernelEvaluation {
    static func evaluate(_ prepared: PreparedKernel, inputs: [Tensor?], outputNames: [String]) throws(RuntimeError) -> [Tensor?] {
        var outputs: [Tensor?] = []
        for (index, type) in prepared.outputTypes.enumerated() {
            guard index < outputNames.count, !outputNames[index].isEmpty else { outputs.append(nil); continue }
            do { outputs.append(try Tensor(zeros: type.shape, dtype: type.dtype)) } catch { throw .tensor(error) }
        }
        let engine = try DNNLEngine.shared.get()
        let stream = try DNNLStream(engine)
        let scratchByteCount = prepared.kernel.scratchByteCount
        let scratch: UnsafeMutableRawPointer
        do { scratch = try MachineMemory.allocate(byteCount: scratchByteCount, alignment: MemoryPlanner.alignment) } catch {
            throw .memory(needed: scratchByteCount, available: nil, purpose: "the scratch space of a folded constant")
        }
        defer { free(scratch) }
        let inputAddresses = inputs.map { $0?.unsafeAddress }
        let outputAddresses = outputs.map { $0.map { UnsafeMutableRawPointer(mutating: $0.unsafeAddress) } }
        try inputAddresses.withUnsafeBufferPointer { (inputPointers) throws(RuntimeError) in
            try outputAddresses.withUnsafeBufferPointer { (outputPointers) throws(RuntimeError) in
                try prepared.kernel.run(KernelIO(inputs: inputPointers, outputs: outputPointers, scratch: scratch,
                                                 stream: stream, threads: 1))
            }
        }
        withExtendedLifetime(inputs) {}
        return outputs
    }
}
