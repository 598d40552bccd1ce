import CONNXProto
import CProtobufC
import ZooTensor

/// Tensor ⇄ TensorProto. We always write `raw_data` (little-endian, as the spec requires);
/// we read raw_data and every typed field ONNX allows for our dtypes.
enum TensorProtoConversion {
    /// Fills `proto` with `tensor`; `raw_data` points into the tensor's storage, which the
    /// caller keeps alive until packing is done. With `external`, the bytes are not written
    /// here: the proto records where in the side file they are.
    static func fill(_ proto: UnsafeMutablePointer<Onnx__TensorProto>, name: String?, tensor: Tensor,
                     external: ExternalDataPlan.Location? = nil, arena: ProtoArena) {
        if let name { proto.pointee.name = arena.string(name) }
        (proto.pointee.n_dims, proto.pointee.dims) = arena.array(tensor.shape.map { Int64($0) })
        proto.pointee.has_data_type = 1
        proto.pointee.data_type = tensor.dtype.onnxCode
        if let external {
            proto.pointee.has_data_location = 1
            proto.pointee.data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL
            let entries = [("location", external.file), ("offset", "\(external.offset)"), ("length", "\(external.length)")]
            (proto.pointee.n_external_data, proto.pointee.external_data) = arena.array(entries.map { key, value in
                let entry = arena.message(Onnx__StringStringEntryProto.self, onnx__string_string_entry_proto__init)
                entry.pointee.key = arena.string(key)
                entry.pointee.value = arena.string(value)
                return Optional(entry)
            })
            return
        }
        proto.pointee.has_raw_data = 1
        proto.pointee.raw_data = arena.bytes(of: tensor)
    }

    /// Reads a TensorProto, checking that its declared shape agrees with the bytes present
    /// before allocating anything.
    static func tensor(from proto: Onnx__TensorProto, name: String, externalData: ExternalDataReader? = nil)
        throws(Reason) -> Tensor
    {
        let isExternal = proto.has_data_location != 0 && proto.data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL
        guard proto.segment == nil else { throw Reason("segmented tensors are not supported") }
        guard let dtype = DType(onnxCode: proto.data_type) else {
            throw Reason("data type \(DType.onnxName(of: proto.data_type)) is not supported")
        }
        let shape = (0..<proto.n_dims).map { Int(proto.dims[$0]) }
        let count: Int
        do { count = try ShapeArithmetic.elementCount(shape) } catch { throw Reason(error.description) }
        let expected = count.multipliedReportingOverflow(by: dtype.byteSize)
        if isExternal {
            guard let externalData else { throw Reason("stored in an external file, which is not allowed here") }
            guard !expected.overflow else { throw Reason("shape \(shape) of \(dtype) is too large") }
            var entries: [String: String] = [:]
            for index in 0..<proto.n_external_data {
                guard let entry = proto.external_data[index]?.pointee else { continue }
                entries[entry.key.map { String(cString: $0) } ?? ""] = entry.value.map { String(cString: $0) } ?? ""
            }
            return try externalData.read(entries: entries, dtype: dtype, shape: shape, byteCount: expected.partialValue)
        }

        func make(_ body: () throws(TensorError) -> Tensor) throws(Reason) -> Tensor {
            do { return try body() } catch { throw Reason(error.description) }
        }
        if proto.has_raw_data != 0 {
            guard !expected.overflow, proto.raw_data.len == expected.partialValue else {
                throw Reason("shape \(shape) of \(dtype) needs \(expected.overflow ? Int.max : expected.partialValue) bytes, raw_data has \(proto.raw_data.len)")
            }
            return try make { () throws(TensorError) in
                try Tensor(dtype: dtype, shape: shape, bytes: UnsafeRawBufferPointer(start: proto.raw_data.data, count: proto.raw_data.len))
            }
        }
        func typed<Source, Element: TensorElement>(_ values: UnsafeMutablePointer<Source>?, _ available: Int,
                                                  _ convert: (Source) -> Element) throws(Reason) -> Tensor {
            guard available == count else {
                throw Reason("shape \(shape) holds \(count) elements, the tensor has \(available) values")
            }
            let elements = (0..<available).map { convert(values![$0]) }
            return try make { () throws(TensorError) in try Tensor(shape: shape, scalars: elements) }
        }
        switch dtype {
        case .float32: return try typed(proto.float_data, proto.n_float_data) { $0 }
        case .float64: return try typed(proto.double_data, proto.n_double_data) { $0 }
        case .int64: return try typed(proto.int64_data, proto.n_int64_data) { $0 }
        case .int32: return try typed(proto.int32_data, proto.n_int32_data) { $0 }
        case .int16: return try typed(proto.int32_data, proto.n_int32_data) { Int16(truncatingIfNeeded: $0) }
        case .int8: return try typed(proto.int32_data, proto.n_int32_data) { Int8(truncatingIfNeeded: $0) }
        case .uint64: return try typed(proto.uint64_data, proto.n_uint64_data) { $0 }
        case .uint32: return try typed(proto.uint64_data, proto.n_uint64_data) { UInt32(truncatingIfNeeded: $0) }
        case .uint16: return try typed(proto.int32_data, proto.n_int32_data) { UInt16(truncatingIfNeeded: $0) }
        case .uint8: return try typed(proto.int32_data, proto.n_int32_data) { UInt8(truncatingIfNeeded: $0) }
        case .bool: return try typed(proto.int32_data, proto.n_int32_data) { $0 != 0 }
        case .float16:
            return try typed(proto.int32_data, proto.n_int32_data) { Float16(bitPattern: UInt16(truncatingIfNeeded: $0)) }
        case .bfloat16:
            return try typed(proto.int32_data, proto.n_int32_data) { BFloat16(bitPattern: UInt16(truncatingIfNeeded: $0)) }
        }
    }

    struct Reason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
