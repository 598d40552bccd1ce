/// Why a tensor could not be made or read. Every case says what was expected and what was found.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    case negativeDimension(shape: [Int])
    case elementCountOverflow(shape: [Int])
    case tooLarge(shape: [Int], dtype: DType, bytes: Int, limit: Int)
    case byteCountMismatch(shape: [Int], dtype: DType, expected: Int, actual: Int)
    case elementCountMismatch(shape: [Int], expected: Int, actual: Int)
    case dtypeMismatch(expected: DType, actual: DType)
    // Axis permutation (Tensor+AxisPermutation.swift)
    case invalidPermutation(permutation: [Int], rank: Int)

    public var description: String {
        switch self {
        case .negativeDimension(let shape):
            "tensor shape \(shape) has a negative dimension"
        case .elementCountOverflow(let shape):
            "tensor shape \(shape) has more elements than a 64-bit count can hold"
        case .tooLarge(let shape, let dtype, let bytes, let limit):
            "tensor \(dtype)\(shape) needs \(bytes) bytes, more than the \(limit) bytes allowed"
        case .byteCountMismatch(let shape, let dtype, let expected, let actual):
            "tensor \(dtype)\(shape) needs \(expected) bytes of data, got \(actual)"
        case .elementCountMismatch(let shape, let expected, let actual):
            "tensor shape \(shape) holds \(expected) elements, got \(actual) values"
        case .dtypeMismatch(let expected, let actual):
            "expected a \(expected) tensor, got \(actual)"
        case .invalidPermutation(let permutation, let rank):
            "axis permutation \(permutation) does not name each of a rank-\(rank) tensor's axes once"
        }
    }
}
