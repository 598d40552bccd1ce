import CONNXProto
import ZooTensor

/// SparseTensorProto → dense Tensor: `values` [NNZ] scattered into a zero tensor of `dims`
/// at `indices`, given either as [NNZ] linear offsets or [NNZ, rank] coordinates.
enum SparseTensorConversion {
    static func dense(from proto: Onnx__SparseTensorProto, externalData: ExternalDataReader)
        throws(TensorProtoConversion.Reason) -> (name: String, tensor: Tensor)
    {
        guard let valuesProto = proto.values?.pointee, let indicesProto = proto.indices?.pointee else {
            throw .init("a sparse tensor needs values and indices")
        }
        let name = valuesProto.name.map { String(cString: $0) } ?? ""
        let values = try TensorProtoConversion.tensor(from: valuesProto, name: name, externalData: externalData)
        let indices = try TensorProtoConversion.tensor(from: indicesProto, name: name, externalData: externalData)
        let shape = (0..<proto.n_dims).map { Int(proto.dims[$0]) }
        var dense: Tensor
        do { dense = try Tensor(zeros: shape, dtype: values.dtype) } catch { throw .init(error.description) }
        guard values.rank == 1, let offsets = indices.integerValues, indices.dtype == .int64 else {
            throw .init("sparse values must be 1-D and indices int64")
        }
        let count = values.elementCount
        let linear: [Int]
        if indices.shape == [count] {
            linear = offsets
        } else if indices.shape == [count, shape.count] {
            let strides = shape.indices.map { axis in shape[(axis + 1)...].reduce(1, *) }
            linear = try (0..<count).map { (entry: Int) throws(TensorProtoConversion.Reason) -> Int in
                var offset = 0
                for axis in shape.indices {
                    let coordinate = offsets[entry * shape.count + axis]
                    guard (0..<shape[axis]).contains(coordinate) else {
                        throw .init("sparse index \(coordinate) is outside axis \(axis) of size \(shape[axis])")
                    }
                    offset += coordinate * strides[axis]
                }
                return offset
            }
        } else {
            throw .init("sparse indices have shape \(indices.shape); expected [\(count)] or [\(count), \(shape.count)]")
        }
        if let outOfRange = linear.first(where: { !(0..<dense.elementCount).contains($0) }) {
            throw .init("sparse index \(outOfRange) is outside the \(dense.elementCount) elements of shape \(shape)")
        }
        let elementSize = values.dtype.byteSize
        values.withUnsafeBytes { source in
            dense.withUnsafeMutableBytes { target in
                for (entry, offset) in linear.enumerated() {
                    target.baseAddress!.advanced(by: offset * elementSize)
                        .copyMemory(from: source.baseAddress!.advanced(by: entry * elementSize), byteCount: elementSize)
                }
            }
        }
        return (name, dense)
    }
}
