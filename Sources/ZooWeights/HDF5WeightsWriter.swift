import CHDF5
import ZooGraph
import ZooTensor

/// Writes the layout of Schemas/weights-hdf5.md into a new HDF5 file. The caller holds the
/// libhdf5 lock and has validated the parameter names and metadata.
struct HDF5WeightsWriter {
    let calls: HDF5Calls
    let metadata: WeightsMetadata
    let options: WeightsSaveOptions

    /// Gzip works on chunks; about 1 MiB each keeps the compression ratio and the
    /// decompression buffer reasonable.
    static let targetChunkBytes = 1 << 20

    func write(_ parameters: [(datasetPath: String, initializer: Graph.Initializer)], to path: String) throws(WeightsError) {
        let fileAccess = H5Pcreate(zoo_H5P_FILE_ACCESS())
        defer { H5Pclose(fileAccess) }
        // Closing the file closes whatever is still open in it, so an early exit cannot leave
        // it half-open.
        H5Pset_fclose_degree(fileAccess, H5F_CLOSE_STRONG)
        // The HDF5 1.8 file format checksums every piece of metadata (superblock, object
        // headers, group indexes), so libhdf5 rejects a damaged file instead of decoding
        // garbage, which in 1.10 can crash it. Every HDF5 reader since 1.8 (2008) reads it.
        H5Pset_libver_bounds(fileAccess, H5F_LIBVER_V18, H5F_LIBVER_V18)
        let fileCreation = Self.creationProperties(zoo_H5P_FILE_CREATE())
        defer { H5Pclose(fileCreation) }
        let file = try calls.check(H5Fcreate(path, zoo_H5F_ACC_TRUNC(), fileCreation, fileAccess), "cannot create the file")
        var isOpen = true
        defer { if isOpen { H5Fclose(file) } }

        try writeRootAttributes(file)
        let groupCreation = Self.creationProperties(zoo_H5P_GROUP_CREATE())
        defer { H5Pclose(groupCreation) }
        var groups: Set<String> = []
        for (datasetPath, initializer) in parameters {
            try createGroups(containing: datasetPath, for: initializer.name, in: file, properties: groupCreation, existing: &groups)
            try writeDataset(initializer, at: datasetPath, in: file)
        }
        isOpen = false
        try calls.check(H5Fclose(file), "cannot finish writing the file")
    }

    /// A creation property list of `kind` that records no modification times, so the same
    /// parameters always give the same bytes (and the same file SHA-256 in a zoo manifest).
    private static func creationProperties(_ kind: hid_t) -> hid_t {
        let properties = H5Pcreate(kind)
        H5Pset_obj_track_times(properties, false)
        return properties
    }

    /// Creates the groups above `datasetPath` that `existing` does not list yet.
    private func createGroups(
        containing datasetPath: String, for name: String, in file: hid_t, properties: hid_t, existing: inout Set<String>
    ) throws(WeightsError) {
        var groupPath = ""
        for component in datasetPath.split(separator: "/").dropLast() {
            groupPath += "/" + component
            guard existing.insert(groupPath).inserted else { continue }
            let group = try calls.check(
                H5Gcreate2(file, groupPath, zoo_H5P_DEFAULT(), properties, zoo_H5P_DEFAULT()),
                "cannot create group '\(groupPath)' for parameter '\(name)'")
            H5Gclose(group)
        }
    }

    private func writeRootAttributes(_ file: hid_t) throws(WeightsError) {
        try calls.writeString(WeightsFile.formatName, named: "format", on: file, at: "/")
        try calls.writeInteger(Int64(WeightsFile.formatVersion), named: "format_version", on: file, at: "/")
        try calls.writeString(metadata.architecture, named: "architecture", on: file, at: "/")
        try calls.writeString(metadata.configuration, named: "config", on: file, at: "/")
        try calls.writeString(metadata.dtype.rawValue, named: "dtype", on: file, at: "/")
        try calls.writeString(metadata.createdBy, named: "created_by", on: file, at: "/")
    }

    private func writeDataset(_ initializer: Graph.Initializer, at path: String, in file: hid_t) throws(WeightsError) {
        var tensor = initializer.tensor
        if tensor.dtype.isFloatingPoint {
            do { tensor = try tensor.convertingFloatingPoint(to: metadata.dtype) } catch {
                throw .invalidInput(file: calls.file, reason: "parameter '\(initializer.name)': \(error)")
            }
        }
        let type = HDF5ElementType.make(tensor.dtype)
        defer { H5Tclose(type) }
        let space = tensor.shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(tensor.rank), tensor.shape.map { hsize_t($0) }, nil)
        defer { H5Sclose(space) }
        let creation = Self.creationProperties(zoo_H5P_DATASET_CREATE())
        defer { H5Pclose(creation) }
        if options.compress, let chunk = Self.chunkShape(for: tensor) {
            H5Pset_chunk(creation, Int32(chunk.count), chunk.map { hsize_t($0) })
            // Shuffle groups the bytes of equal significance, which gzip compresses far better.
            H5Pset_shuffle(creation)
            H5Pset_deflate(creation, UInt32(options.compressionLevel))
        }
        let dataset = try calls.check(
            H5Dcreate2(file, path, type, space, zoo_H5P_DEFAULT(), creation, zoo_H5P_DEFAULT()),
            "cannot create dataset '\(path)' for parameter '\(initializer.name)'")
        defer { H5Dclose(dataset) }
        let status = tensor.withUnsafeBytes { H5Dwrite(dataset, type, zoo_H5S_ALL(), zoo_H5S_ALL(), zoo_H5P_DEFAULT(), $0.baseAddress) }
        try calls.check(status, "cannot write dataset '\(path)'")
        let digest = try SHA256.hexDigest(of: tensor, context: "\(calls.file): dataset '\(path)'")
        try calls.writeString(digest, named: "sha256", on: dataset, at: path)
    }

    /// Chunk dimensions of about `targetChunkBytes`: the tensor's shape with its leading
    /// dimensions halved until a chunk fits. Nil for scalars and empty tensors, which have
    /// nothing to compress (and HDF5 cannot chunk).
    static func chunkShape(for tensor: Tensor) -> [Int]? {
        guard tensor.rank > 0, tensor.elementCount > 0 else { return nil }
        var chunk = tensor.shape
        for axis in chunk.indices {
            while chunk[axis] > 1, chunk.reduce(tensor.dtype.byteSize, *) > targetChunkBytes {
                chunk[axis] = (chunk[axis] + 1) / 2
            }
        }
        return chunk
    }
}
