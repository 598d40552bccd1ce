import ZooTensor

/// The globals a checkpoint may name: those `torch.load(weights_only=True)` admits for
/// plain state dicts. Any other `module.name` is refused by name before anything is built,
/// so that no pickle can reach code (`os.system`, `builtins.eval`, a model's own class).
enum AllowedGlobal: Equatable {
    case orderedDict
    case rebuildTensor
    case rebuildTensorV3
    case rebuildParameter
    case rebuildParameterWithState
    case size
    /// `_codecs.encode(text, "latin1")`, how protocol 2 writes a `bytes` object.
    case encode
    /// A typed storage class (`torch.FloatStorage`), or `torch.storage.UntypedStorage` (nil).
    case storageType(DType?)
    case dtype(DType)

    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_tensor_v3"): self = .rebuildTensorV3
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch", "Size"): self = .size
        case ("_codecs", "encode"): self = .encode
        case ("torch.storage", "UntypedStorage"), ("torch", "UntypedStorage"): self = .storageType(nil)
        case ("torch", _):
            if let dtype = Self.storageTypes[name] {
                self = .storageType(dtype)
            } else if let dtype = Self.dtypes[name] {
                self = .dtype(dtype)
            } else {
                return nil
            }
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .orderedDict: "collections.OrderedDict"
        case .rebuildTensor: "torch._utils._rebuild_tensor_v2"
        case .rebuildTensorV3: "torch._utils._rebuild_tensor_v3"
        case .rebuildParameter: "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: "torch._utils._rebuild_parameter_with_state"
        case .size: "torch.Size"
        case .encode: "_codecs.encode"
        case .storageType(let dtype): dtype.map { "torch storage of \($0)" } ?? "torch.storage.UntypedStorage"
        case .dtype(let dtype): "torch dtype \(dtype)"
        }
    }

    private static let storageTypes: [String: DType] = [
        "FloatStorage": .float32, "HalfStorage": .float16, "BFloat16Storage": .bfloat16, "DoubleStorage": .float64,
        "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8,
        "ByteStorage": .uint8, "BoolStorage": .bool,
    ]

    private static let dtypes: [String: DType] = [
        "float32": .float32, "float": .float32, "float16": .float16, "half": .float16, "bfloat16": .bfloat16,
        "float64": .float64, "double": .float64, "int64": .int64, "long": .int64, "int32": .int32, "int": .int32,
        "int16": .int16, "short": .int16, "int8": .int8, "uint8": .uint8, "bool": .bool,
    ]
}
