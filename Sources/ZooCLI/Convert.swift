import ArgumentParser
import Foundation
import ModelZoo

/// `zoo convert FILE --model ID -o weights.h5`: weights the user holds, as a ModelZoo HDF5 file.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a weights file you hold (PyTorch, Keras, ELMo, safetensors, ONNX) for a zoo model to ModelZoo HDF5.",
        discussion: """
            The file's format is told from its content. Names are mapped onto the zoo model's \
            (torchvision and Hugging Face names are the zoo's; nn.LSTM gates are reordered), what \
            the tensor shapes determine of the configuration (class count, vocabulary size) is \
            taken from them and reported, and every missing, unexpected or mis-shaped tensor is \
            listed at once. The output is written atomically, and only when everything matches.
            """)

    @Argument(help: "The weights file.")
    var file: String

    @Option(name: .long, help: "The zoo model id the weights belong to (see 'zoo list').")
    var model: String

    @Option(name: .long, help: "Number of classes for image classifiers (default: the weights').")
    var classes: Int?

    @Option(name: .long, help: ArgumentHelp("With ELMo's bilm-tf weights: its options.json (clips, characters per token, sizes).", valueName: "file"))
    var options: String?

    @Flag(name: .long, help: "List every tensor of the file that the model does not use.")
    var verbose = false

    @Option(name: .shortAndLong, help: "The ModelZoo HDF5 file to write.")
    var output: String

    func validate() throws {
        if let classes, classes < 1 { throw ValidationError("--classes must be at least 1, got \(classes)") }
    }

    func run() throws {
        let entry = try classes.map { try Zoo.model(model).with(classCount: $0) } ?? Zoo.model(model)
        let loaded = try ModelWithWeights(file, model: entry, classCountGiven: classes != nil, options: options)
        for line in loaded.notes { print(line) }
        for line in IgnoredTensors.lines(loaded.ignored, verbose: verbose) { print(line) }
        try loaded.save(to: output)
        let values = loaded.graph.initializers.reduce(0) { $0 + $1.tensor.elementCount }
        print("wrote \(output): \(loaded.entry.id), \(loaded.graph.initializers.count) parameters (\(values) values)")
    }
}
