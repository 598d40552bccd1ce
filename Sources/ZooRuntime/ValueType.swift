import ZooTensor

/// The concrete type of a value once shapes are specialised: an element type and a shape
/// with every dimension known.
struct ValueType: Hashable, Sendable, CustomStringConvertible {
    var dtype: DType
    var shape: [Int]

    init(_ dtype: DType, _ shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    init(of tensor: Tensor) { self.init(tensor.dtype, tensor.shape) }

    var rank: Int { shape.count }
    var elementCount: Int { shape.reduce(1, *) }
    var byteCount: Int { elementCount * dtype.byteSize }

    var description: String { "\(dtype)\(shape)" }
}
