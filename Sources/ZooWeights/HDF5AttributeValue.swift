import CHDF5

/// An attribute of a foreign HDF5 file as text: Keras keeps its layer and weight names in
/// string-array attributes, fixed-length byte strings (Keras 2, h5py's `S` arrays) or
/// variable-length strings (Keras 3), and writes an empty float64 array when a layer has none.
public enum HDF5AttributeValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    /// A one-dimensional array of strings, or an empty array of any type.
    case strings([String])
    /// Anything else, described ("64-bit float array of 3").
    case other(String)

    public var description: String {
        switch self {
        case .string(let text): "'\(text)'"
        case .strings(let texts): "\(texts)"
        case .other(let description): description
        }
    }
}

extension HDF5Calls {
    /// More strings than this in one attribute only come from a damaged or hostile file.
    static let largestStringArray = 1 << 20

    /// The names of the attributes of `object`, in name order.
    func attributeNames(of object: hid_t, at path: String) throws(WeightsError) -> [String] {
        var names: [String] = []
        var index: hsize_t = 0
        let status = withUnsafeMutablePointer(to: &names) { collected in
            H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, clientData in
                if let name, let clientData { clientData.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name)) }
                return 0
            }, collected)
        }
        try check(status, "cannot list the attributes of '\(path)'")
        return names
    }

    /// The attribute `name` of `object` as text; strings beyond the size limits throw `problem(reason)`.
    func readAttributeValue(
        named name: String, on object: hid_t, at path: String, problem: (String) -> WeightsError
    ) throws(WeightsError) -> HDF5AttributeValue? {
        guard let attribute = try openAttribute(named: name, on: object, at: path) else { return nil }
        defer { H5Aclose(attribute) }
        let context = "cannot read attribute '\(name)' of '\(path)'"
        let type = try check(H5Aget_type(attribute), context)
        defer { H5Tclose(type) }
        let space = try check(H5Aget_space(attribute), context)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_type(space) == H5S_SCALAR ? 0 : Int(try check(H5Sget_simple_extent_ndims(space), context))
        let count = Int(try check(H5Sget_simple_extent_npoints(space), context))
        let isString = H5Tget_class(type) == H5T_STRING
        switch (isString, rank) {
        case (_, 1) where count == 0: return .strings([])
        case (true, 0):
            return try readString(named: name, on: object, at: path, problem: problem).map(HDF5AttributeValue.string)
        case (true, 1):
            return .strings(try readStrings(attribute, type: type, count: count, named: name, context: context, problem: problem))
        default:
            return .other("\(HDF5ElementType.describe(type)) \(rank == 0 ? "scalar" : "array of \(count)")")
        }
    }

    /// A one-dimensional string attribute's `count` strings, fixed-length (cut at the first
    /// NUL) or variable-length.
    private func readStrings(
        _ attribute: hid_t, type: hid_t, count: Int, named name: String, context: String, problem: (String) -> WeightsError
    ) throws(WeightsError) -> [String] {
        guard count <= Self.largestStringArray else {
            throw problem("attribute '\(name)' holds \(count) strings, more than the \(Self.largestStringArray) allowed")
        }
        let memoryType = H5Tcopy(type)
        defer { H5Tclose(memoryType) }
        if try check(H5Tis_variable_str(type), context) > 0 {
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try check(H5Aread(attribute, memoryType, &pointers), context)
            defer { for pointer in pointers { H5free_memory(pointer) } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let width = H5Tget_size(type)
        guard width > 0, width <= Self.largestFixedString / max(count, 1) else {
            throw problem("attribute '\(name)' holds \(count) strings of \(width) bytes, more than the \(Self.largestFixedString) bytes allowed")
        }
        H5Tset_strpad(memoryType, H5T_STR_NULLPAD)
        var bytes = [UInt8](repeating: 0, count: width * count)
        try check(H5Aread(attribute, memoryType, &bytes), context)
        return (0..<count).map { index in
            String(decoding: bytes[index * width..<(index + 1) * width].prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
