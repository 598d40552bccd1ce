import Foundation
import ZooGraph
import ZooModels
import ZooONNX
import ZooTensor
import ZooWeights

/// Turns weights in another format (PyTorch checkpoints, Keras HDF5, ONNX initializers, safetensors, a zoo HDF5 file) into
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
        let graph = try manifest.graph()
        var read = try readTensors(source)
        for (name, reason) in (variant.source.ignoredTensors ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let tensor = read.tensors.removeValue(forKey: name) else { continue }
            read.ignored.append("\(name) (\(tensor.dtype)\(tensor.shape)): \(reason)")
        }
        read = try readTensors(read, for: try manifest.architectureValue(), graph: graph)
        let tensors = read.tensors
        let metadata = WeightsMetadata(architecture: manifest.architecture.id, configuration: try manifest.configurationText(),
                                       dtype: variant.dtype, createdBy: creator)
        do {
            try WeightsFile.save(try ParameterMatching.assign(tensors, to: graph, file: source), metadata: metadata, to: destination)
        } catch {
            throw .weights(error)
        }
        return read.ignored
    }

    /// The tensors read from a file, named for `graph` (traced from `architecture`): the one
    /// place where each format's mapper runs. PyTorch-world names (checkpoints, and
    /// safetensors or ONNX exported from PyTorch) go through `PyTorchNameMapping`, Keras's
    /// layers through `KerasConversion`, bilm-tf's (ELMo) datasets through `BilmConversion`;
    /// a zoo HDF5 file's names are already the graph's.
    /// `notes` say what was done; `ignored` lists tensors set aside, with reasons.
    static func readTensors(_ weights: ReadWeights, for architecture: any Architecture, graph: Graph) throws(PretrainedError) -> ReadWeights {
        var read = weights
        switch read.format {
        case .zooHDF5:
            return read
        case .keras:
            if let keras = read.keras { read.tensors = try KerasConversion.tensors(keras, for: architecture) }
            return read
        case .bilm:
            let file = read.bilm?.file ?? "bilm-tf weights"
            guard let elmo = architecture as? ELMo else {
                throw .unsupportedConversion(file: file, reason: "bilm-tf weights are ELMo's (elmo, elmo-original), not \(type(of: architecture))'s")
            }
            read.tensors = try BilmConversion.tensors(read.tensors, for: elmo, file: file, notes: &read.notes)
            return read
        case .pyTorch, .safeTensors, .onnx:
            read.tensors = try PyTorchNameMapping.map(read.tensors, onto: graph, notes: &read.notes, ignored: &read.ignored)
            return read
        }
    }

    /// Every tensor of the file by name, as stored; `options` is bilm-tf's options.json for
    /// ELMo's weights, refused with any other format.
    static func readTensors(_ path: String, options: String? = nil) throws(PretrainedError) -> ReadWeights {
        let format = try WeightsFormat.detect(path)
        if let options, format != .bilm { throw .optionsNotApplicable(options: options, weights: path, format: "\(format)") }
        switch format {
        case .pyTorch:
            do {
                let checkpoint = try PyTorchCheckpoint(contentsOf: path)
                return ReadWeights(format: format, tensors: checkpoint.tensors, notes: checkpoint.notes)
            } catch { throw .weights(error) }
        case .safeTensors:
            do { return ReadWeights(format: format, tensors: try SafeTensorsFile.load(path).tensors) } catch { throw .weights(error) }
        case .onnx:
            do { return ReadWeights(format: format, tensors: try ONNXModel.read(from: path).graph.initializerTensors) } catch { throw .onnx(error) }
        case .zooHDF5:
            do {
                let contents = try WeightsFile.load(path)
                return ReadWeights(format: format, tensors: contents.parameters, recorded: contents.metadata)
            } catch { throw .weights(error) }
        case .keras:
            // Keras's layers become tensors once the architecture is known (readTensors(_:for:graph:)).
            do { return ReadWeights(format: format, tensors: [:], keras: try KerasWeights.read(path)) } catch { throw .weights(error) }
        case .bilm:
            return try BilmConversion.read(path, options: options)
        }
    }
}

/// A weights file's tensors with what reading and mapping them did.
struct ReadWeights {
    let format: WeightsFormat
    var tensors: [String: Tensor]
    /// A Keras file's layers, which name no tensor until mapped for an architecture.
    var keras: KerasWeights? = nil
    /// A bilm-tf file's origin and options, for configuring ELMo.
    var bilm: BilmSource? = nil
    /// A zoo HDF5 file's recorded architecture and configuration.
    var recorded: WeightsMetadata? = nil
    var notes: [String] = []
    var ignored: [String] = []
}
