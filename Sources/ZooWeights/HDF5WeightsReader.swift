import CHDF5
import ZooTensor

/// Reads the layout of Schemas/weights-hdf5.md: the root's metadata, then every dataset as a
/// parameter, each checked by `HDF5DatasetReader` before libhdf5 reads its data. The caller
/// holds the libhdf5 lock.
struct HDF5WeightsReader {
    let calls: HDF5Calls
    let datasets: HDF5DatasetReader

    init(calls: HDF5Calls, fileSize: Int) {
        self.calls = calls
        self.datasets = HDF5DatasetReader(calls: calls, fileSize: fileSize)
    }

    struct Contents: Sendable {
        var metadata: WeightsMetadata
        var tensors: [String: Tensor]
        /// The recorded SHA-256 of each tensor that has one, by parameter name, with its dataset path.
        var checksums: [String: (datasetPath: String, sha256: String)]
    }

    func read(_ path: String) throws(WeightsError) -> Contents {
        let file = try datasets.open(path)
        defer { H5Fclose(file) }

        var contents = Contents(metadata: try readMetadata(file), tensors: [:], checksums: [:])
        for object in try datasets.objects(in: file) where object.isDataset {
            let datasetPath = object.path
            guard let name = ParameterPath.parameterName(forDataset: datasetPath) else {
                throw .invalidTensor(file: calls.file, name: "/" + datasetPath,
                                     reason: "a group or dataset name contains '.', which the layout reserves for parameter names")
            }
            let tensor = try datasets.readTensor(at: "/" + datasetPath, in: file)
            let checksum = try readChecksum(of: "/" + datasetPath, in: file)
            guard !tensor.dtype.isFloatingPoint || tensor.dtype == contents.metadata.dtype else {
                throw .invalidTensor(file: calls.file, name: "/" + datasetPath,
                                     reason: "stored as \(tensor.dtype), but the file's dtype attribute says \(contents.metadata.dtype)")
            }
            contents.tensors[name] = tensor
            if let checksum { contents.checksums[name] = ("/" + datasetPath, checksum) }
        }
        return contents
    }

    private func readMetadata(_ file: hid_t) throws(WeightsError) -> WeightsMetadata {
        let problem = { (reason: String) in WeightsError.notWeightsFile(file: calls.file, reason: reason) }
        func requiredString(_ name: String) throws(WeightsError) -> String {
            guard let value = try calls.readString(named: name, on: file, at: "/", problem: problem) else {
                throw problem("the root has no '\(name)' attribute")
            }
            return value
        }
        let format = try requiredString("format")
        guard format == WeightsFile.formatName else {
            throw problem("the root attribute 'format' is '\(format)', expected '\(WeightsFile.formatName)'")
        }
        guard let version = try calls.readInteger(named: "format_version", on: file, at: "/", problem: problem) else {
            throw problem("the root has no 'format_version' attribute")
        }
        guard version == WeightsFile.formatVersion else {
            throw problem("format version \(version) is not \(WeightsFile.formatVersion), the version this ModelZoo reads")
        }
        let dtypeName = try requiredString("dtype")
        guard let dtype = DType(rawValue: dtypeName), dtype.isFloatingPoint else {
            throw problem("the root attribute 'dtype' is '\(dtypeName)', expected float32, float16, bfloat16 or float64")
        }
        return WeightsMetadata(
            architecture: try requiredString("architecture"), configuration: try requiredString("config"),
            dtype: dtype, createdBy: try requiredString("created_by"))
    }

    /// The SHA-256 recorded on the dataset at `path`, if any.
    private func readChecksum(of path: String, in file: hid_t) throws(WeightsError) -> String? {
        let dataset = try calls.check(H5Dopen2(file, path, zoo_H5P_DEFAULT()), "cannot open dataset '\(path)'")
        defer { H5Dclose(dataset) }
        return try calls.readString(named: "sha256", on: dataset, at: path) { reason in
            WeightsError.invalidTensor(file: calls.file, name: path, reason: reason)
        }
    }
}
