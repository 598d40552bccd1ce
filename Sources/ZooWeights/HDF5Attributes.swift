import CHDF5

/// Scalar attributes. Strings are written as fixed-length, NUL-terminated UTF-8: unlike
/// variable-length strings they live in the attribute itself rather than in the file's
/// global heap, which libhdf5 1.10 reads unsafely (a damaged heap crashes it, h5dump too).
/// h5py reads them as bytes. Both kinds are read, since other tools may write either.
extension HDF5Calls {
    /// Metadata strings are short; a larger declared size only comes from a damaged or hostile file.
    static let largestFixedString = 1 << 20

    func writeString(_ value: String, named name: String, on object: hid_t, at path: String) throws(WeightsError) {
        let type = H5Tcopy(zoo_H5T_C_S1())
        defer { H5Tclose(type) }
        H5Tset_size(type, value.utf8.count + 1)
        H5Tset_strpad(type, H5T_STR_NULLTERM)
        H5Tset_cset(type, H5T_CSET_UTF8)
        let status = try withScalarAttribute(named: name, type: type, on: object, at: path) { attribute in
            value.withCString { H5Awrite(attribute, type, $0) }
        }
        try check(status, "cannot write attribute '\(name)' of '\(path)'")
    }

    func writeInteger(_ value: Int64, named name: String, on object: hid_t, at path: String) throws(WeightsError) {
        let status = try withScalarAttribute(named: name, type: zoo_H5T_STD_I64LE(), on: object, at: path) { attribute in
            var value = value
            return H5Awrite(attribute, zoo_H5T_NATIVE_INT64(), &value)
        }
        try check(status, "cannot write attribute '\(name)' of '\(path)'")
    }

    /// The attribute's text, or nil when `object` has no attribute `name`. A non-string or
    /// non-scalar attribute throws `problem(reason)`.
    func readString(
        named name: String, on object: hid_t, at path: String, problem: (String) -> WeightsError
    ) throws(WeightsError) -> String? {
        guard let attribute = try openAttribute(named: name, on: object, at: path) else { return nil }
        defer { H5Aclose(attribute) }
        let type = try check(H5Aget_type(attribute), "cannot read attribute '\(name)' of '\(path)'")
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else {
            throw problem("attribute '\(name)' is a \(HDF5ElementType.describe(type)), expected a string")
        }
        try requireScalar(attribute, named: name, problem: problem)
        let memoryType = H5Tcopy(type)
        defer { H5Tclose(memoryType) }
        if try check(H5Tis_variable_str(type), "cannot read attribute '\(name)' of '\(path)'") > 0 {
            var pointer: UnsafeMutablePointer<CChar>?
            try check(H5Aread(attribute, memoryType, &pointer), "cannot read attribute '\(name)' of '\(path)'")
            defer { H5free_memory(pointer) }
            return pointer.map { String(cString: $0) } ?? ""
        }
        // Fixed length: read the padded bytes as they are and cut at the first NUL.
        let byteCount = H5Tget_size(type)
        guard byteCount <= Self.largestFixedString else {
            throw problem("attribute '\(name)' is a \(byteCount)-byte string, more than the \(Self.largestFixedString) allowed")
        }
        H5Tset_strpad(memoryType, H5T_STR_NULLPAD)
        var bytes = [UInt8](repeating: 0, count: byteCount)
        try check(H5Aread(attribute, memoryType, &bytes), "cannot read attribute '\(name)' of '\(path)'")
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The attribute's value, or nil when `object` has no attribute `name`. A non-integer
    /// or non-scalar attribute throws `problem(reason)`.
    func readInteger(
        named name: String, on object: hid_t, at path: String, problem: (String) -> WeightsError
    ) throws(WeightsError) -> Int64? {
        guard let attribute = try openAttribute(named: name, on: object, at: path) else { return nil }
        defer { H5Aclose(attribute) }
        let type = try check(H5Aget_type(attribute), "cannot read attribute '\(name)' of '\(path)'")
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_INTEGER else {
            throw problem("attribute '\(name)' is a \(HDF5ElementType.describe(type)), expected an integer")
        }
        try requireScalar(attribute, named: name, problem: problem)
        var value: Int64 = 0
        try check(H5Aread(attribute, zoo_H5T_NATIVE_INT64(), &value), "cannot read attribute '\(name)' of '\(path)'")
        return value
    }

    private func withScalarAttribute(
        named name: String, type: hid_t, on object: hid_t, at path: String, _ write: (hid_t) -> herr_t
    ) throws(WeightsError) -> herr_t {
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = try check(
            H5Acreate2(object, name, type, space, zoo_H5P_DEFAULT(), zoo_H5P_DEFAULT()),
            "cannot create attribute '\(name)' of '\(path)'")
        defer { H5Aclose(attribute) }
        return write(attribute)
    }

    func openAttribute(named name: String, on object: hid_t, at path: String) throws(WeightsError) -> hid_t? {
        guard try check(H5Aexists(object, name), "cannot look for attribute '\(name)' of '\(path)'") > 0 else { return nil }
        return try check(H5Aopen(object, name, zoo_H5P_DEFAULT()), "cannot open attribute '\(name)' of '\(path)'")
    }

    private func requireScalar(_ attribute: hid_t, named name: String, problem: (String) -> WeightsError) throws(WeightsError) {
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_npoints(space) == 1 else {
            throw problem("attribute '\(name)' holds \(H5Sget_simple_extent_npoints(space)) values, expected one")
        }
    }
}
