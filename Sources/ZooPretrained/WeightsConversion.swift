import Foundation
import ZooModels
import ZooONNX
import ZooTensor
import ZooWeights

/// Turns weights in another format (ONNX initializers, safetensors, a zoo HDF5 file) into
/// a manifest's zoo HDF5 file. Tensors are matched to the architecture's parameters by name;
/// any missing, unexpected or mis-shaped tensor is an error listing them all, except the
/// tensors the manifest names as deliberately ignored (such as Hugging Face's
/// `embeddings.position_ids` buffer).
enum WeightsConversion {
    /// The `created_by` of converted files. Fixed rather than versioned: converting the same
    /// weights then always gives the same bytes, so the manifest can pin the file's SHA-256.
    static let creator = "ModelZoo"

    /// Writes the converted file to `destination` (atomically) and returns the source's
    /// tensors that were ignored, each as "name (dtype[shape]): reason".
    static func convert(
        _ source: String, for manifest: ZooManifest, variant: WeightsVariant, to destination: String
    ) throws(PretrainedError) -> [String] {
        var tensors = try readTensors(source, for: try manifest.architectureValue())
        var ignored: [String] = []
        for (name, reason) in (variant.source.ignoredTensors ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let tensor = tensors.removeValue(forKey: name) else { continue }
            ignored.append("\(name) (\(tensor.dtype)\(tensor.shape)): \(reason)")
        }
        let metadata = WeightsMetadata(architecture: manifest.architecture.id, configuration: try manifest.configurationText(),
                                       dtype: variant.dtype, createdBy: creator)
        let graph = try manifest.graph()
        do {
            try WeightsFile.save(try ParameterMatching.assign(tensors, to: graph, file: source), metadata: metadata, to: destination)
        } catch {
            throw .weights(error)
        }
        return ignored
    }

    /// Every tensor of the file by name, the format chosen by the file's extension (and for
    /// HDF5, by content: Keras's layouts are converted for `architecture`).
    private static func readTensors(_ path: String, for architecture: any Architecture) throws(PretrainedError) -> [String: Tensor] {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "safetensors":
            do { return try SafeTensorsFile.load(path).tensors } catch { throw .weights(error) }
        case "onnx":
            do { return try ONNXModel.read(from: path).graph.initializerTensors } catch { throw .onnx(error) }
        case "h5", "hdf5":
            // Keras HDF5 (KerasConversion.swift)
            if try KerasConversion.isKerasFile(path) { return try KerasConversion.tensors(from: path, for: architecture) }
            do { return try WeightsFile.load(path).parameters } catch { throw .weights(error) }
        default:
            throw .unsupportedSource(file: path)
        }
    }
}
