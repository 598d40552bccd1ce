/// Reordering a tensor's axes, as ONNX Transpose and numpy's `transpose` do: output axis i is
/// input axis `permutation[i]`. Weight converters use it to move kernels between frameworks'
/// layouts (Keras's HWIO convolution kernels to ONNX's OIHW, say).
extension Tensor {
    /// A new tensor with the axes reordered; `permutation` must name every axis once.
    public func permutingAxes(_ permutation: [Int]) throws(TensorError) -> Tensor {
        guard permutation.sorted() == Array(0..<rank) else {
            throw .invalidPermutation(permutation: permutation, rank: rank)
        }
        let outputShape = permutation.map { shape[$0] }
        var output = try Tensor(zeros: outputShape, dtype: dtype)
        guard elementCount > 0 else { return output }
        // Element strides of the input, visited in output order.
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1] }
        let strides = permutation.map { inputStrides[$0] }
        let size = dtype.byteSize
        withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                var index = [Int](repeating: 0, count: rank)
                var offset = 0
                for element in 0..<elementCount {
                    (destination.baseAddress! + element * size).copyMemory(from: source.baseAddress! + offset * size, byteCount: size)
                    // Advance the output index like an odometer, keeping the input offset in step.
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offset += strides[axis]
                        if index[axis] < outputShape[axis] { break }
                        offset -= strides[axis] * outputShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return output
    }
}
