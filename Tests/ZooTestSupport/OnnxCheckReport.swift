import ZooGraph

/// What Tests/interop/onnx_check.py prints: the file's header fields, the types onnx's
/// strict shape inference gives every value, and onnxruntime's output shapes.
public struct OnnxCheckReport: Decodable {
    public struct ValueType: Decodable, Equatable, CustomStringConvertible {
        public let dtype: String
        public let dims: [Dimension]

        /// Whether onnx inferred exactly our type: dtype, sizes and symbol names.
        public func matches(_ type: TensorType) -> Bool {
            dtype == "\(type.dtype)" && dims == type.dims.map(Dimension.init)
        }

        public var description: String { "\(dtype)\(dims)" }
    }

    /// A dimension as onnx writes it: a size or a symbol name.
    public enum Dimension: Decodable, Equatable, CustomStringConvertible {
        case value(Int), param(String)

        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int.self) { self = .value(value) } else { self = .param(try container.decode(String.self)) }
        }

        init(_ dim: Dim) {
            switch dim {
            case .fixed(let size): self = .value(size)
            case .symbolic(let name): self = .param(name)
            }
        }

        public var description: String {
            switch self {
            case .value(let size): "\(size)"
            case .param(let name): name
            }
        }
    }

    public let ir_version: Int
    public let opset: Int
    public let producer: String
    public let metadata: [String: String]
    public let types: [String: ValueType]
    public let output_shapes: [[Int]]
}
