/// Parameter names and HDF5 dataset paths: each dot-separated component of a PyTorch
/// `state_dict` name is one level of the group tree, so `layer1.0.conv1.weight` is stored
/// at `/layer1/0/conv1/weight`.
enum ParameterPath {
    /// The dataset path for parameter `name`, saved into `file`.
    static func datasetPath(for name: String, file: String) throws(WeightsError) -> String {
        let components = name.split(separator: ".", omittingEmptySubsequences: false)
        // An empty component would silently merge levels ("a..b" and "a.b" are the same HDF5
        // path) and "/" would add levels that read back as dots.
        guard !components.contains(where: \.isEmpty) else {
            throw .invalidInput(file: file, reason: "parameter name '\(name)' has an empty component")
        }
        guard !name.contains("/") else {
            throw .invalidInput(file: file, reason: "parameter name '\(name)' contains '/', which HDF5 reads as a group separator")
        }
        return "/" + components.joined(separator: "/")
    }

    /// The parameter name for a dataset at `path` (relative to the root, as libhdf5's visit
    /// reports it: `layer1/0/conv1/weight`), or nil when a component contains a dot and so
    /// could be confused with another path.
    static func parameterName(forDataset path: String) -> String? {
        let components = path.split(separator: "/")
        guard !components.contains(where: { $0.contains(".") }) else { return nil }
        return components.joined(separator: ".")
    }
}
