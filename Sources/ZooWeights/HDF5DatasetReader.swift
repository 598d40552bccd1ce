import CHDF5
import ZooTensor

/// Reads any HDF5 file's tree and datasets, checking everything a damaged or hostile file
/// could get wrong before libhdf5 is asked to read data: element types, shapes whose size is
/// absurd, storage that does not match the shape or lies past the end of the file, data kept
/// in other files. Shared by our own weights layout and the view of foreign files. The caller
/// holds the libhdf5 lock.
struct HDF5DatasetReader {
    let calls: HDF5Calls
    /// The size of the file on disk, to bound where a dataset's data can be.
    let fileSize: Int

    /// A group or dataset; `path` is relative to the root (`layer1/0/conv1/weight`).
    struct Object {
        var path: String
        var isDataset: Bool
    }

    /// The file, opened read-only; the caller closes it with `H5Fclose`.
    func open(_ path: String) throws(WeightsError) -> hid_t {
        let fileAccess = H5Pcreate(zoo_H5P_FILE_ACCESS())
        defer { H5Pclose(fileAccess) }
        H5Pset_fclose_degree(fileAccess, H5F_CLOSE_STRONG)
        return try calls.check(H5Fopen(path, zoo_H5F_ACC_RDONLY(), fileAccess), "cannot open the file as HDF5")
    }

    /// Every group and dataset reachable from the root through hard links, each once, in name
    /// order, the root itself excluded. Soft and external links are not followed, so a file
    /// cannot pull data in from elsewhere.
    func objects(in file: hid_t) throws(WeightsError) -> [Object] {
        var objects: [Object] = []
        let status = withUnsafeMutablePointer(to: &objects) { collected in
            H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, { _, name, info, clientData in
                if let name, let info, let clientData, info.pointee.type == H5O_TYPE_DATASET || info.pointee.type == H5O_TYPE_GROUP {
                    let path = String(cString: name)
                    if path != "." {
                        clientData.assumingMemoryBound(to: [Object].self).pointee.append(
                            Object(path: path, isDataset: info.pointee.type == H5O_TYPE_DATASET))
                    }
                }
                return 0
            }, collected, UInt32(H5O_INFO_BASIC))
        }
        try calls.check(status, "cannot list the groups and datasets")
        return objects
    }

    /// The dataset's elements, read straight into a new tensor's storage with one H5Dread.
    func readTensor(at path: String, in file: hid_t) throws(WeightsError) -> Tensor {
        let dataset = try calls.check(H5Dopen2(file, path, zoo_H5P_DEFAULT()), "cannot open dataset '\(path)'")
        defer { H5Dclose(dataset) }
        let invalid = { (reason: String) in WeightsError.invalidTensor(file: calls.file, name: path, reason: reason) }

        let storedType = try calls.check(H5Dget_type(dataset), "cannot read the datatype of '\(path)'")
        defer { H5Tclose(storedType) }
        guard let dtype = HDF5ElementType.dtype(of: storedType) else {
            throw invalid("elements are \(HDF5ElementType.describe(storedType)); supported: "
                          + DType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let shape = try readShape(dataset, path: path)
        var tensor: Tensor
        do { tensor = try Tensor(zeros: shape, dtype: dtype) } catch { throw invalid(error.description) }
        try checkStorage(dataset, holds: tensor, path: path)

        let memoryType = HDF5ElementType.make(dtype)
        defer { H5Tclose(memoryType) }
        let status = tensor.withUnsafeMutableBytes {
            H5Dread(dataset, memoryType, zoo_H5S_ALL(), zoo_H5S_ALL(), zoo_H5P_DEFAULT(), $0.baseAddress)
        }
        try calls.check(status, "cannot read dataset '\(path)'")
        if let (index, byte) = tensor.firstInvalidBoolean {
            throw invalid("bool element \(index) is stored as \(byte), not 0 or 1")
        }
        return tensor
    }

    private func readShape(_ dataset: hid_t, path: String) throws(WeightsError) -> [Int] {
        let space = try calls.check(H5Dget_space(dataset), "cannot read the shape of '\(path)'")
        defer { H5Sclose(space) }
        switch H5Sget_simple_extent_type(space) {
        case H5S_SCALAR:
            return []
        case H5S_SIMPLE:
            let rank = Int(try calls.check(H5Sget_simple_extent_ndims(space), "cannot read the shape of '\(path)'"))
            var dimensions = [hsize_t](repeating: 0, count: rank)
            try calls.check(H5Sget_simple_extent_dims(space, &dimensions, nil), "cannot read the shape of '\(path)'")
            // Dimensions beyond Int.max become -1, which the tensor's size check rejects.
            return dimensions.map { Int(exactly: $0) ?? -1 }
        default:
            throw .invalidTensor(file: calls.file, name: path, reason: "has no shape (an HDF5 null dataspace)")
        }
    }

    /// Refuses storage the shape cannot come from: a contiguous block of another size or
    /// reaching past the end of the file, missing chunks (which libhdf5 would silently read
    /// as zeros), data in external raw files or other HDF5 files.
    private func checkStorage(_ dataset: hid_t, holds tensor: Tensor, path: String) throws(WeightsError) {
        let invalid = { (reason: String) in WeightsError.invalidTensor(file: calls.file, name: path, reason: reason) }
        let creation = try calls.check(H5Dget_create_plist(dataset), "cannot read the storage layout of '\(path)'")
        defer { H5Pclose(creation) }
        guard tensor.byteCount > 0 else { return }
        switch H5Pget_layout(creation) {
        case H5D_CONTIGUOUS:
            guard H5Pget_external_count(creation) == 0 else { throw invalid("keeps its data in external files") }
            let offset = H5Dget_offset(dataset)
            guard offset != zoo_HADDR_UNDEF() else { throw invalid("has no data written") }
            let stored = H5Dget_storage_size(dataset)
            guard stored == tensor.byteCount else {
                throw invalid("its shape needs \(tensor.byteCount) bytes, the dataset stores \(stored)")
            }
            guard offset <= UInt(fileSize), UInt(tensor.byteCount) <= UInt(fileSize) - offset else {
                throw invalid("its \(tensor.byteCount) bytes at offset \(offset) run past the end of the file (\(fileSize) bytes)")
            }
        case H5D_CHUNKED:
            var chunk = [hsize_t](repeating: 1, count: tensor.rank)
            try calls.check(H5Pget_chunk(creation, Int32(tensor.rank), &chunk), "cannot read the chunk shape of '\(path)'")
            guard chunk.allSatisfy({ $0 > 0 }) else { throw invalid("has a chunk shape with a zero dimension") }
            let expected = zip(tensor.shape, chunk).reduce(1) { count, pair in count * Int((hsize_t(pair.0) + pair.1 - 1) / pair.1) }
            let space = try calls.check(H5Dget_space(dataset), "cannot read the shape of '\(path)'")
            defer { H5Sclose(space) }
            var written: hsize_t = 0
            try calls.check(H5Dget_num_chunks(dataset, space, &written), "cannot count the chunks of '\(path)'")
            guard written == expected else { throw invalid("has \(written) of its \(expected) chunks written") }
        case H5D_COMPACT:
            return
        case H5D_VIRTUAL:
            throw invalid("is a virtual dataset, which reads other files")
        default:
            throw invalid("has an unknown storage layout")
        }
    }
}
