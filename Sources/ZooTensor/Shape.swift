/// Shape arithmetic shared by tensors and the graph IR, checked so that hostile shapes
/// (negative dimensions, products beyond 64 bits) become errors instead of traps.
public enum ShapeArithmetic {
    /// The number of elements of `shape`, or an error if a dimension is negative or the
    /// product overflows.
    public static func elementCount(_ shape: [Int]) throws(TensorError) -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { throw .negativeDimension(shape: shape) }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .elementCountOverflow(shape: shape) }
            count = product
        }
        return count
    }

    /// Bytes needed for `shape` of `dtype`, refusing anything above `limit`.
    public static func byteCount(_ shape: [Int], dtype: DType, limit: Int = TensorStorage.maximumByteCount)
        throws(TensorError) -> Int
    {
        let count = try elementCount(shape)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes <= limit else {
            throw .tooLarge(shape: shape, dtype: dtype, bytes: overflow ? Int.max : bytes, limit: limit)
        }
        return bytes
    }
}
