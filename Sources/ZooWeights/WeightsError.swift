import ZooIO

/// Why weights could not be saved or loaded. Every case names the file, and the dataset or
/// tensor when one is at fault, with what was expected and what was found.
public enum WeightsError: Error, Equatable, CustomStringConvertible {
    /// The file system refused: a missing file, an unwritable directory, a failed rename.
    case file(FileError)
    /// libhdf5 reported a failure while we were doing `context`; `message` is its own
    /// innermost explanation (e.g. "file signature not found" for a file that is not HDF5).
    case hdf5(file: String, context: String, message: String)
    /// The file opened, but is not weights this version can read: a foreign or missing
    /// format attribute, a newer format version, unusable metadata, a malformed header.
    case notWeightsFile(file: String, reason: String)
    /// A safetensors file's length prefix or JSON header is unusable.
    case invalidHeader(file: String, reason: String)
    /// One stored tensor cannot become a parameter: an unsupported element type, a shape
    /// whose size is absurd, storage that does not match the shape. `name` is the HDF5
    /// dataset path or the safetensors tensor name.
    case invalidTensor(file: String, name: String, reason: String)
    /// A dataset's bytes no longer hash to the SHA-256 recorded when it was written.
    case checksumMismatch(file: String, dataset: String, expected: String, actual: String)
    /// Refused before anything was written: a parameter name with no place in the layout,
    /// metadata that cannot be stored.
    case invalidInput(file: String, reason: String)
    /// The file's parameters do not fit the graph; every problem is listed.
    case parametersDoNotMatch(file: String, mismatches: [ParameterMismatch])
    // PyTorch checkpoints
    /// A torch.save checkpoint that cannot or may not be read: a malformed zip or pickle, a
    /// global outside the allowed set, a compressed entry.
    case unreadableCheckpoint(file: String, reason: String)
    /// OpenSSL could not compute a digest (it could not allocate its context).
    case digestUnavailable(context: String, algorithm: String)
    // Foreign formats (Keras HDF5)
    /// A file of that format whose layout is unusable.
    case invalidForeignFile(file: String, format: String, reason: String)

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .hdf5(let file, let context, let message): "\(file): \(context): \(message)"
        case .notWeightsFile(let file, let reason): "\(file): not a ModelZoo weights file: \(reason)"
        case .invalidHeader(let file, let reason): "\(file): invalid safetensors header: \(reason)"
        case .invalidTensor(let file, let name, let reason): "\(file): tensor '\(name)': \(reason)"
        case .checksumMismatch(let file, let dataset, let expected, let actual):
            "\(file): dataset '\(dataset)' is corrupt: its SHA-256 is \(actual), the file records \(expected)"
        case .invalidInput(let file, let reason): "\(file): cannot save: \(reason)"
        case .parametersDoNotMatch(let file, let mismatches):
            "\(file): \(mismatches.count) parameter\(mismatches.count == 1 ? " does" : "s do") not match the graph:\n"
                + mismatches.map { "  \($0)" }.joined(separator: "\n")
        // PyTorch checkpoints
        case .unreadableCheckpoint(let file, let reason): "\(file): cannot read the PyTorch checkpoint: \(reason)"
        case .digestUnavailable(let context, let algorithm):
            "\(context): OpenSSL could not compute a \(algorithm) digest (it could not allocate memory)"
        // Foreign formats (Keras HDF5)
        case .invalidForeignFile(let file, let format, let reason): "\(file): unusable \(format) file: \(reason)"
        }
    }
}
