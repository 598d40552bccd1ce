import CONNXProto
import CProtobufC
import Foundation
import ZooTensor

/// Owns the C memory behind a protobuf-c message tree while it is being built and packed:
/// every message, string and array comes from here and is freed together when the arena
/// goes away. Tensor bytes are not copied: the arena holds the tensors they belong to,
/// including those made only for the written form (constants of a rewrite, Reduce axes).
final class ProtoArena {
    private var allocations: [UnsafeMutableRawPointer] = []
    private var heldTensors: [Tensor] = []

    deinit {
        for allocation in allocations { free(allocation) }
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        // calloc never returns NULL for the small sizes here unless the process is out of
        // memory, which no error path could handle either.
        let pointer = calloc(1, max(byteCount, 1))!
        allocations.append(pointer)
        return pointer
    }

    /// A message initialised by its protobuf-c `__init` function.
    func message<Message>(_ type: Message.Type, _ initialize: (UnsafeMutablePointer<Message>) -> Void)
        -> UnsafeMutablePointer<Message>
    {
        let pointer = allocate(MemoryLayout<Message>.stride).bindMemory(to: Message.self, capacity: 1)
        initialize(pointer)
        return pointer
    }

    func string(_ value: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(value.utf8CString)
        let pointer = allocate(utf8.count).bindMemory(to: CChar.self, capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }

    /// A C array holding `elements`, and its count, for protobuf-c's `n_x` / `x` pairs.
    func array<Element>(_ elements: [Element]) -> (Int, UnsafeMutablePointer<Element>?) {
        guard !elements.isEmpty else { return (0, nil) }
        let pointer = allocate(MemoryLayout<Element>.stride * elements.count)
            .bindMemory(to: Element.self, capacity: elements.count)
        pointer.initialize(from: elements, count: elements.count)
        return (elements.count, pointer)
    }

    /// The tensor's bytes, valid as long as the arena.
    func bytes(of tensor: Tensor) -> ProtobufCBinaryData {
        heldTensors.append(tensor)
        return tensor.withUnsafeBytes { bytes in
            ProtobufCBinaryData(len: bytes.count, data: UnsafeMutablePointer(mutating: bytes.bindMemory(to: UInt8.self).baseAddress))
        }
    }

    func bytes(_ value: [UInt8]) -> ProtobufCBinaryData {
        let (count, pointer) = array(value)
        return ProtobufCBinaryData(len: count, data: pointer)
    }
}
