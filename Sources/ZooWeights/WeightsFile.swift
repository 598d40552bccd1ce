import Foundation
import ZooGraph
import ZooTensor

/// ModelZoo's weights files: parameters in HDF5, one dataset per parameter in a group tree
/// that mirrors the parameter names (`layer1.0.conv1.weight` at `/layer1/0/conv1/weight`),
/// the metadata as root attributes. Schemas/weights-hdf5.md describes the layout for readers
/// that do not use this code, such as h5py and h5dump.
///
///     try WeightsFile.save(graph, metadata: WeightsMetadata(architecture: "resnet18"), to: "resnet18.h5")
///     let trained = try WeightsFile.load("resnet18.h5", into: graph)
///
/// Saving replaces the file atomically; loading checks the file before trusting it. Calls
/// from several threads are safe (libhdf5 itself is used by one thread at a time).
public enum WeightsFile {
    /// The root attribute `format` of every weights file.
    public static let formatName = "modelzoo-weights"
    /// The root attribute `format_version` this code writes and reads.
    public static let formatVersion = 1

    /// Writes `parameters` to `path`, replacing any file there only once the new one is
    /// complete. Floating-point parameters are stored as `metadata.dtype`.
    public static func save(
        _ parameters: [Graph.Initializer], metadata: WeightsMetadata, to path: String,
        options: WeightsSaveOptions = WeightsSaveOptions()
    ) throws(WeightsError) {
        try validate(metadata, options, file: path)
        let layout = try parameters.map { parameter throws(WeightsError) in
            (datasetPath: try ParameterPath.datasetPath(for: parameter.name, file: path), initializer: parameter)
        }
        let writer = HDF5WeightsWriter(calls: HDF5Calls(file: path), metadata: metadata, options: options)
        try AtomicReplacement.replace(path) { temporaryPath throws(WeightsError) in
            try HDF5Library.serialized { () throws(WeightsError) in try writer.write(layout, to: temporaryPath) }
        }
    }

    /// Writes the graph's initializers to `path`.
    public static func save(
        _ graph: Graph, metadata: WeightsMetadata, to path: String, options: WeightsSaveOptions = WeightsSaveOptions()
    ) throws(WeightsError) {
        try save(graph.initializers, metadata: metadata, to: path, options: options)
    }

    /// The file's metadata and its parameters by name, each tensor in the type it is stored in.
    public static func load(
        _ path: String, options: WeightsLoadOptions = WeightsLoadOptions()
    ) throws(WeightsError) -> (metadata: WeightsMetadata, parameters: [String: Tensor]) {
        let contents = try read(path, options: options)
        return (contents.metadata, contents.parameters)
    }

    /// What `load` returns, and which parameters' datasets carried a SHA-256 (each compared
    /// with it when `options.verifyChecksums`; files written by other tools may carry none).
    public static func read(
        _ path: String, options: WeightsLoadOptions = WeightsLoadOptions()
    ) throws(WeightsError) -> WeightsContents {
        let fileSize = try ReadOnlyFile(path).size
        let contents = try HDF5Library.serialized { () throws(WeightsError) in
            try HDF5WeightsReader(calls: HDF5Calls(file: path), fileSize: fileSize).read(path)
        }
        if options.verifyChecksums {
            for (name, recorded) in contents.checksums.sorted(by: { $0.key < $1.key }) {
                let context = "\(path): dataset '\(recorded.datasetPath)'"
                let actual = try contents.tensors[name].map { tensor throws(WeightsError) in try SHA256.hexDigest(of: tensor, context: context) }
                guard actual == recorded.sha256 else {
                    throw .checksumMismatch(file: path, dataset: recorded.datasetPath, expected: recorded.sha256, actual: actual ?? "")
                }
            }
        }
        return WeightsContents(metadata: contents.metadata, parameters: contents.tensors,
                               checksummedParameters: Set(contents.checksums.keys))
    }

    /// `graph` with its initializers replaced by the file's parameters. Every name, shape
    /// and dtype must match (floating-point types convert into the graph's); otherwise one
    /// `WeightsError.parametersDoNotMatch` lists all that do not, and nothing is returned.
    public static func load(
        _ path: String, into graph: Graph, options: WeightsLoadOptions = WeightsLoadOptions()
    ) throws(WeightsError) -> Graph {
        try ParameterMatching.assign(try load(path, options: options).parameters, to: graph, file: path)
    }

    private static func validate(_ metadata: WeightsMetadata, _ options: WeightsSaveOptions, file: String) throws(WeightsError) {
        guard metadata.dtype.isFloatingPoint else {
            throw .invalidInput(file: file, reason: "metadata dtype \(metadata.dtype) is not a floating-point type")
        }
        let configuration = try? JSONSerialization.jsonObject(with: Data(metadata.configuration.utf8))
        guard configuration is [String: Any] else {
            throw .invalidInput(file: file, reason: "the configuration is not the text of a JSON object: \(metadata.configuration.prefix(80))")
        }
        guard !options.compress || (1...9).contains(options.compressionLevel) else {
            throw .invalidInput(file: file, reason: "gzip level \(options.compressionLevel) is not between 1 and 9")
        }
    }
}

/// A weights file's metadata and parameters, with the names of the parameters whose datasets
/// carried a SHA-256.
public struct WeightsContents: Sendable {
    public var metadata: WeightsMetadata
    public var parameters: [String: Tensor]
    public var checksummedParameters: Set<String>
}
