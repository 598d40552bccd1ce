import ZooGraph
import ZooImage
import ZooIO

/// What classifying a picture with a zoo model takes from its manifest.
public struct ImageClassification: Sendable, Equatable {
    public let preprocessing: ImagePreprocessing
    /// Class names by output index; nil when the manifest names no labels file.
    public let labels: [String]?

    public init(preprocessing: ImagePreprocessing, labels: [String]?) {
        self.preprocessing = preprocessing
        self.labels = labels
    }
}

extension PretrainedZoo {
    /// The manifest's image recipe and class names, checked against each other and the
    /// model: the recipe is valid, the first input is [batch, channels, height, width] with
    /// the recipe's channels (and size, when fixed), and there is one name per class of the
    /// first output. The variant's own recipe, if it has one, replaces the manifest's. Nil
    /// when neither has an image recipe.
    public func imageClassification(of manifest: ZooManifest, variant: String? = nil) throws(PretrainedError) -> ImageClassification? {
        guard let preprocessing = try manifest.variant(named: variant).image ?? manifest.preprocessing.image else { return nil }
        let manifestFile = "\(directory)/\(manifest.id)/manifest.json"
        func invalid(_ reason: String) -> PretrainedError { .invalidManifest(file: manifestFile, reason: reason) }
        do { try preprocessing.validate() } catch { throw invalid("preprocessing.image: \(error)") }

        let input = manifest.inputs.first.map(\.shape) ?? []
        var expected: [Dim?] = [nil, .fixed(preprocessing.channelCount)]
        if let size = preprocessing.outputSize { expected += [.fixed(size.height), .fixed(size.width)] }
        guard input.count == 4, zip(expected, input).allSatisfy({ $0 == nil || $0 == $1 }) else {
            throw invalid("preprocessing.image makes \(preprocessing.channelCount)-channel images"
                + (preprocessing.outputSize.map { " of \($0.height)x\($0.width)" } ?? "")
                + ", but the first input is shaped \(input.map(\.description))")
        }
        guard let labelsFile = manifest.preprocessing.labels else { return ImageClassification(preprocessing: preprocessing, labels: nil) }
        guard Self.isZooLabelsPath(labelsFile) else {
            throw invalid("preprocessing.labels '\(labelsFile)' is neither a file next to the manifest nor ../labels/NAME")
        }
        let labels: [String]
        do { labels = try ClassLabels.read(file: shippedFile(labelsFile, of: manifest.id)) } catch {
            throw invalid("preprocessing.labels: \(error)")
        }
        if let classes = manifest.outputs.first?.shape.last?.value, classes != labels.count {
            throw invalid("preprocessing.labels has \(labels.count) names for \(classes) classes")
        }
        return ImageClassification(preprocessing: preprocessing, labels: labels)
    }

    /// A plain file name, or one in the zoo's shared `labels` folder: never elsewhere.
    static func isZooLabelsPath(_ path: String) -> Bool {
        let name = path.hasPrefix("../labels/") ? String(path.dropFirst("../labels/".count)) : path
        return !name.isEmpty && !name.contains("/") && name != "." && name != ".."
    }
}
