import ArgumentParser
import ModelZoo

/// `zoo fetch ID [--from FILE]`: makes a model's pretrained weights available, verified.
struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch a zoo model's pretrained weights into the cache, checked against the hash its manifest pins.",
        discussion: """
            Weights that ship with the zoo are checked in place. Others are downloaded from the \
            manifest's URL (an interrupted download resumes) or, with --from, converted from an \
            ONNX, safetensors or zoo HDF5 file. Weights published in another format (torchvision's \
            checkpoints, Keras's HDF5) are downloaded, checked by their publisher's hash (a SHA-256 \
            prefix or an MD5) and converted. The cache is $ZOO_CACHE (default ~/.cache/modelzoo); a \
            file whose size or hash is not the manifest's never enters it.
            """)

    @Argument(help: "A zoo model id with pretrained weights (a folder of Zoo/).")
    var model: String

    @Option(name: .long, help: "Convert the weights from this .onnx, .safetensors or .h5 file.")
    var from: String?

    @Option(name: .long, help: "The weights variant (default: the manifest's first).")
    var variant: String?

    @Flag(name: .long, help: "List every tensor of the source that the model does not use.")
    var verbose = false

    func run() throws {
        let (file, outcome) = try PretrainedZoo.standard.fetch(model, variant: variant, from: from, progress: downloadProgress(model))
        switch outcome {
        case .shipped: print("\(model): \(file) ships with the zoo; its size and SHA-256 are the manifest's")
        case .cached: print("\(model): \(file) is in the cache; its size and SHA-256 are the manifest's")
        case .downloaded(let url): print("\(model): downloaded \(url) to \(file); its size and SHA-256 are the manifest's")
        case .downloadedAndConverted(let url, let pin, let ignored):
            for line in IgnoredTensors.lines(ignored, verbose: verbose) { print(line) }
            print("\(model): downloaded \(url), checked that \(pin), and converted it to \(file)")
        case .converted(let source, let ignored):
            for line in IgnoredTensors.lines(ignored, verbose: verbose) { print(line) }
            print("\(model): converted \(source) to \(file); its size and SHA-256 are the manifest's")
        }
    }
}

/// A progress bar for downloads of `model`'s weights, drawn on standard error when it is a terminal.
func downloadProgress(_ model: String) -> DownloadProgress {
    let bar = ProgressBar("downloading \(model)", minimumTotal: 0)
    return { received, total in bar.update(received, of: total) }
}
