import ZooTensor

/// The calls a checkpoint's pickle may make (REDUCE of an `AllowedGlobal`), each checking
/// its arguments' kinds; nothing here touches storage bytes, which `CheckpointTensors` reads.
enum TorchRebuild {
    static func apply(
        _ callable: AllowedGlobal, _ arguments: [PickleValue], source: String
    ) throws(PickleError) -> PickleValue {
        func fail(_ reason: String) -> PickleError { .malformed(source: source, reason: "\(callable.name): \(reason)") }
        switch callable {
        case .orderedDict:
            guard arguments.isEmpty else { throw fail("takes no arguments here, got \(arguments.count)") }
            return .dict(PickleDict())
        case .rebuildTensor, .rebuildTensorV3:
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, dtype][, metadata])
            guard arguments.count >= 6, case .storage(let storage) = arguments[0], case .int(let offset) = arguments[1] else {
                throw fail("expects (storage, offset, size, stride, requires_grad, hooks, ...), got \(arguments.map(\.kind))")
            }
            let shape = try integers(arguments[2], "size", fail)
            let strides = try integers(arguments[3], "stride", fail)
            var dtype = storage.dtype
            if callable == .rebuildTensorV3 {
                guard arguments.count >= 7, case .global(.dtype(let given)) = arguments[6] else { throw fail("expects a torch dtype as its 7th argument") }
                dtype = given
            }
            guard let dtype else { throw fail("an untyped storage needs the dtype _rebuild_tensor_v3 gives") }
            guard shape.count == strides.count else { throw fail("size \(shape) and stride \(strides) differ in rank") }
            return .tensor(TensorView(storage: storage, dtype: dtype, offset: offset, shape: shape, strides: strides))
        case .rebuildParameter, .rebuildParameterWithState:
            guard let first = arguments.first, case .tensor = first else { throw fail("expects a tensor first, got \(arguments.map(\.kind))") }
            return first
        case .size:
            guard arguments.count == 1 else { throw fail("expects one tuple of sizes") }
            return .tuple(try integers(arguments[0], "size", fail).map { .int($0) })
        case .encode:
            guard arguments.count == 2, case .string(let text) = arguments[0], case .string("latin1") = arguments[1] else {
                throw fail("only encode(text, 'latin1') is accepted")
            }
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw fail("a latin1 string holds U+\(String(scalar.value, radix: 16))") }
                bytes.append(UInt8(scalar.value))
            }
            return .bytes(bytes)
        case .storageType, .dtype:
            throw fail("is a type, not a function a checkpoint may call")
        }
    }

    private static func integers(_ value: PickleValue, _ what: String, _ fail: (String) -> PickleError) throws(PickleError) -> [Int] {
        guard case .tuple(let items) = value else { throw fail("its \(what) is a \(value.kind), not a tuple") }
        var result: [Int] = []
        for item in items {
            guard case .int(let number) = item else { throw fail("its \(what) holds a \(item.kind)") }
            result.append(number)
        }
        return result
    }
}
