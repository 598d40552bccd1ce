import ArgumentParser
import Foundation
import ModelZoo

/// Options shared by the commands that take a model: a zoo id or an ONNX file, with the
/// input resolution and class count of image classifiers changeable, or the zoo model's
/// pretrained weights.
struct ModelSelection: ParsableArguments {
    @Argument(help: "A zoo model id (see 'zoo list') or an ONNX file.")
    var model: String

    @Option(name: .long, help: "Input image size for image classifiers, e.g. 64 or 227x227.")
    var imageSize: String?

    @Option(name: .long, help: "Number of classes for image classifiers.")
    var classes: Int?

    @Flag(name: .long, help: "Use the zoo model's pretrained weights (see 'zoo fetch').")
    var pretrained = false

    @Option(name: .long, help: ArgumentHelp("Use the weights in FILE (PyTorch .pth/.pt/.bin, Keras .h5, ELMo bilm-tf .hdf5, .safetensors, .onnx, ModelZoo .h5).", valueName: "file"))
    var weights: String?

    @Option(name: .long, help: ArgumentHelp("With ELMo's bilm-tf --weights: its options.json (clips, characters per token, sizes).", valueName: "file"))
    var options: String?

    @Flag(name: .long, help: "With --weights: list every tensor of the file that the model does not use.")
    var verbose = false

    @Option(name: .long, help: "With --pretrained: the weights variant (default: the manifest's first; see 'zoo info').")
    var variant: String?

    var isFile: Bool { Self.isFile(model) }

    /// Whether `model` names an ONNX file rather than a zoo id.
    static func isFile(_ model: String) -> Bool { model.hasSuffix(".onnx") || FileManager.default.fileExists(atPath: model) }

    func validate() throws {
        if let imageSize, parseSize(imageSize) == nil {
            throw ValidationError("--image-size must be N or HxW with positive sizes, got '\(imageSize)'")
        }
        if let classes, classes < 1 { throw ValidationError("--classes must be at least 1, got \(classes)") }
        if isFile && (imageSize != nil || classes != nil) {
            throw ValidationError("--image-size and --classes apply to zoo models, not to ONNX files")
        }
        if weights != nil && (isFile || pretrained) {
            throw ValidationError("--weights loads a file into a zoo model: drop --pretrained or the ONNX file")
        }
        if options != nil && weights == nil {
            throw ValidationError("--options configures ELMo's bilm-tf weights: give them with --weights")
        }
        if variant != nil && !pretrained {
            throw ValidationError("--variant picks among a zoo model's published weights: give --pretrained")
        }
        if pretrained && (isFile || imageSize != nil || classes != nil) {
            throw ValidationError("--pretrained loads a zoo model as its manifest configures it: drop --image-size, --classes or the file")
        }
    }

    /// The registry entry with the requested changes applied.
    func entry() throws -> ModelEntry {
        let entry = try Zoo.model(model)
        guard imageSize != nil || classes != nil else { return entry }
        return try entry.with(imageSize: imageSize.flatMap(parseSize), classCount: classes)
    }

    /// The model's graph: read from the ONNX file, or the zoo's with its pretrained weights,
    /// or traced from the zoo with parameters as `initialization` says.
    func graph(initialization: ParameterInitialization = .zeros) throws -> Graph {
        if isFile { return try ONNXModel.read(from: model).graph }
        return try entryAndGraph(initialization: initialization).graph
    }

    /// The zoo model's entry and graph: with --weights' file (the entry configured as its
    /// tensors say, which is reported on standard error), the pretrained weights, or
    /// parameters as `initialization` says.
    func entryAndGraph(initialization: ParameterInitialization = .zeros) throws -> (entry: ModelEntry, graph: Graph) {
        if let weights {
            let loaded = try ModelWithWeights(weights, model: try entry(), classCountGiven: classes != nil, options: options)
            // Standard error, so that outputs such as `count --format json` stay parseable.
            let report = (loaded.notes + IgnoredTensors.lines(loaded.ignored, verbose: verbose)).map { "weights: \($0)\n" }.joined()
            FileHandle.standardError.write(Data(report.utf8))
            return (loaded.entry, loaded.graph)
        }
        let registered = try entry()
        if pretrained { return (registered, try PretrainedZoo.standard.load(model, variant: variant, progress: downloadProgress(model)).graph) }
        return (registered, try registered.graph(initialization: initialization))
    }

    /// What to do with the symbols of the graph's inputs that nothing given sizes.
    enum UnsizedSymbols {
        /// Give them the zoo model's default input shape, else batch 1 and seq 128; throw,
        /// naming them, for any still without a size.
        case defaultOrFail
        /// Give them defaults as `defaultOrFail` does; leave symbolic any without one.
        case defaultOrKeep
        /// Leave them all symbolic.
        case keep
    }

    /// Sizes for the graph's input symbols: those of the inputs given as files, then
    /// `given` (the command line's --dim, --batch, --seq-len), then as `unsized` says.
    func symbolValues(for graph: Graph, given: [String: SymbolBinding.Source], files: [InputFile] = [],
                      unsized: UnsizedSymbols = .defaultOrFail) throws -> [String: Int] {
        var binding = SymbolBinding(inputs: graph.inputs)
        for file in files { try binding.bind(input: file.name, shape: file.tensor.shape, origin: file.origin) }
        try binding.bind(given: given)
        if unsized == .keep { return binding.values }
        var defaults = InputSpec.defaultSymbolSizes
        if !isFile {
            for input in try entry().inputs {
                for case (.symbolic(let name), let size) in zip(input.dims, input.defaultShape) { defaults[name] = size }
            }
        }
        binding.bind(defaults: defaults)
        if unsized == .defaultOrFail { try binding.checkAllBound() }
        return binding.values
    }

    private func parseSize(_ text: String) -> Size2D? {
        let parts = text.split(separator: "x").compactMap { Int($0) }
        switch parts.count {
        case 1 where parts[0] > 0: return Size2D(parts[0])
        case 2 where parts[0] > 0 && parts[1] > 0: return Size2D(height: parts[0], width: parts[1])
        default: return nil
        }
    }
}
