import ArgumentParser
import Foundation
import ModelZoo

/// `zoo classify IMAGE...`: the most probable classes of pictures, from an image classifier.
struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify JPEG and PNG images with a pretrained zoo image classifier.",
        discussion: """
            Decodes each image (JPEG turned upright by its EXIF orientation; PNG of any colour \
            type and depth), prepares it as the model's manifest says (colour, resize, crop and \
            normalisation, equal to torchvision's or Keras's preprocessing), runs the model on \
            all images as one batch and prints the most probable classes, with the softmax of \
            the model's output as probabilities. Recipes for models whose manifest has none \
            (--preprocessing): \(ImagePreprocessing.presets.keys.sorted().joined(separator: ", ")).
            """)

    @Argument(help: "JPEG or PNG files.")
    var images: [String]

    @Option(name: .long, help: "A zoo model with pretrained weights, or an ONNX file (with --preprocessing).")
    var model = "lenet5"

    @Option(name: .long, help: ArgumentHelp(
        "Use the weights in FILE for the zoo model (PyTorch .pth/.pt/.bin, Keras .h5, .safetensors, .onnx, ModelZoo .h5).",
        valueName: "file"))
    var weights: String?

    @Option(name: .long, help: "The manifest's weights variant, with its own image recipe (default: the first; e.g. imagenet1k-v2).")
    var variant: String?

    @Option(name: .long, help: "How many classes to list for each image.")
    var top = 5

    @Flag(name: .long, help: "Print the results as JSON.")
    var json = false

    @Option(name: .long, help: "An image recipe by name, instead of the manifest's.")
    var preprocessing: String?

    @Option(name: .long, help: "A file of class names, one per line in class order, instead of the manifest's.")
    var labels: String?

    @Option(name: .long, help: "Threads, 1 to \(CommandLimits.threads); defaults to the core count.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1, got \(top)") }
        if variant != nil && (weights != nil || ModelSelection.isFile(model)) {
            throw ValidationError("--variant picks among a zoo model's published weights: with --weights or an ONNX file, name the recipe with --preprocessing")
        }
        if let preprocessing, ImagePreprocessing.presets[preprocessing] == nil {
            throw ValidationError("--preprocessing must be one of \(ImagePreprocessing.presets.keys.sorted().joined(separator: ", ")), got '\(preprocessing)'")
        }
        try CommandLimits.check("--threads", threads, atMost: CommandLimits.threads)
    }

    func run() throws {
        // The model comes the way every command's does; a zoo id without --weights means its
        // pretrained weights.
        let pretrained = !ModelSelection.isFile(model) && weights == nil
        let selection = try ModelSelection.parse([model] + (weights.map { ["--weights", $0] } ?? []) + (pretrained ? ["--pretrained"] : [])
            + (variant.map { ["--variant", $0] } ?? []))
        let graph = try selection.graph()
        let recipe = try recipeAndLabels(isFile: selection.isFile)
        guard graph.inputs.count == 1, let input = graph.inputs.first else {
            throw CommandError("\(model) has \(graph.inputs.count) inputs; an image classifier has one")
        }
        let batch = try recipe.preprocessing.tensor(try images.map { try ImageDecoder.decode(file: $0) })
        let session = try Session(graph: graph, options: SessionOptions(threads: threads))
        let outputs = try session.run([input.name: batch])
        guard let scores = graph.outputs.lazy.compactMap({ outputs[$0.name] }).first(where: ClassScores.isClassScores) else {
            throw CommandError("\(model) has no [batch, classes] floating-point output to read classes from")
        }
        let classCount = scores.shape[1]
        var names = recipe.labels
        if let given = names, given.count != classCount {
            // Weights fine-tuned on other classes: the manifest's names are not theirs.
            guard labels == nil, weights != nil else {
                throw CommandError("\(labels ?? "the manifest's labels file") names \(given.count) classes, but \(model) scores \(classCount)")
            }
            FileHandle.standardError.write(Data("classify: \(weights ?? "") scores \(classCount) classes, the manifest names \(given.count): printing class indices (--labels FILE names them)\n".utf8))
            names = nil
        }
        let results = ImageRanking.rank(scores, files: images, labels: names, count: top)
        print(json ? try ImageRanking.json(model: model, results) : ImageRanking.text(results))
    }

    /// The image recipe and class names: the options', else the manifest's. A model given
    /// with --weights may have no manifest; the options must then name the recipe.
    private func recipeAndLabels(isFile: Bool) throws -> ImageClassification {
        let zoo = PretrainedZoo.standard
        let hasManifest = !isFile && (weights == nil || zoo.modelIDs.contains(model))
        let fromManifest = hasManifest ? try zoo.imageClassification(of: try zoo.manifest(model), variant: variant) : nil
        let names = try labels.map { try ClassLabels.read(file: $0) } ?? fromManifest?.labels
        if let preprocessing, let preset = ImagePreprocessing.presets[preprocessing] {
            return ImageClassification(preprocessing: preset, labels: names)
        }
        guard let fromManifest else {
            throw CommandError("\(model) names no image preprocessing\(isFile ? "" : " in its manifest"): give --preprocessing "
                + ImagePreprocessing.presets.keys.sorted().joined(separator: ", "))
        }
        return ImageClassification(preprocessing: fromManifest.preprocessing, labels: names)
    }
}
