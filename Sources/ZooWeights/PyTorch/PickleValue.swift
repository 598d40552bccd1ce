import ZooTensor

/// What the restricted unpickler can build: Python's plain values, the torch objects a
/// `weights_only` load accepts, and nothing that could stand for code.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    /// Lists and dicts are shared objects: the memo and later APPEND/SETITEM opcodes refer
    /// to the same one.
    case list(PickleList)
    case dict(PickleDict)
    /// An allowed global (a callable or a type) before it is applied.
    case global(AllowedGlobal)
    /// A storage from the persistent id `("storage", type, key, location, count)`.
    case storage(StorageReference)
    case tensor(TensorView)

    /// Marks a list or dict as placed inside another value: from then on it may not change,
    /// so the depth it recorded stays true and no container can come to contain itself.
    func seal() {
        switch self {
        case .list(let list): list.isSealed = true
        case .dict(let dict): dict.isSealed = true
        default: break
        }
    }

    /// How deep the value nests; containers record it as they grow.
    var depth: Int {
        switch self {
        case .tuple(let items): items.reduce(0) { max($0, $1.depth) } + 1
        case .list(let list): list.depth
        case .dict(let dict): dict.depth
        default: 1
        }
    }

    /// A short name of the value's kind, for errors.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let global): global.name
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

final class PickleList {
    private(set) var items: [PickleValue] = []
    private(set) var depth = 1
    var isSealed = false

    func append(_ value: PickleValue) {
        value.seal()
        items.append(value)
        depth = max(depth, value.depth + 1)
    }
}

/// A dict with hashable keys (str, int); insertion order kept, as Python's.
final class PickleDict {
    private(set) var keys: [PickleKey] = []
    private(set) var values: [PickleKey: PickleValue] = [:]
    private(set) var depth = 1
    var isSealed = false

    /// Sets `key`, which must be new: a checkpoint repeating a key is refused rather than
    /// silently keeping one of the two tensors.
    func insert(_ key: PickleKey, _ value: PickleValue) -> Bool {
        guard values[key] == nil else { return false }
        value.seal()
        keys.append(key)
        values[key] = value
        depth = max(depth, value.depth + 1)
        return true
    }

    var entries: [(key: PickleKey, value: PickleValue)] { keys.compactMap { key in values[key].map { (key, $0) } } }
}

enum PickleKey: Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)

    var description: String {
        switch self {
        case .string(let text): "'\(text)'"
        case .int(let value): String(value)
        }
    }
}

/// A storage of the checkpoint: the zip entry `data/<key>` holding `elementCount` elements
/// of `dtype` (`nil` for an untyped storage, counted in bytes, whose type the tensor gives).
struct StorageReference {
    let key: String
    let dtype: DType?
    let elementCount: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a strided view into a storage.
struct TensorView {
    let storage: StorageReference
    let dtype: DType
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}
