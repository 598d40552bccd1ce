import ZooIO
import ZooONNX
import ZooRuntime
import ZooText
import ZooWeights

/// Why pretrained weights could not be fetched, converted, verified or loaded. Every case
/// names the model or file at fault and says what was expected and what was found.
public enum PretrainedError: Error, Equatable, CustomStringConvertible {
    case invalidManifest(file: String, reason: String)
    /// The zoo has no manifest, hence no pretrained weights, for this id.
    case noManifest(model: String, directory: String, available: [String])
    case noWeights(model: String)
    case unknownVariant(model: String, variant: String, known: [String])
    /// The weights are neither shipped nor cached; `hint` says how to get them.
    case notFetched(model: String, cacheFile: String, hint: String)
    /// A file's bytes are not the ones the manifest pins; nothing was installed.
    case checksumMismatch(file: String, model: String, expected: String, actual: String)
    /// A downloaded upstream file fails its publisher's pin (`pin` and `actual` name the
    /// digest: "SHA-256 beginning with …", "MD5 …"); it was deleted, nothing was installed.
    case downloadPinMismatch(file: String, model: String, pin: String, actual: String)
    case sizeMismatch(file: String, model: String, expected: Int, actual: Int)
    /// The server refused or the transfer failed before any byte was worth keeping.
    case downloadFailed(url: String, reason: String)
    /// The transfer stopped part way; the bytes received are kept for the next attempt.
    case downloadInterrupted(url: String, received: Int, expected: Int, partialFile: String, reason: String)
    /// `--from` names a file whose format conversion does not know.
    case unsupportedSource(file: String)
    /// The manifest, the registry and the weights file disagree about the architecture.
    case architectureMismatch(model: String, reason: String)
    /// The golden files are missing or unusable.
    case invalidGolden(file: String, reason: String)
    /// Our outputs on the golden inputs are not within the manifest's tolerance.
    case goldenMismatch(model: String, output: String, reason: String)
    case notATextModel(model: String)
    case file(FileError)
    case weights(WeightsError)
    case onnx(ONNXError)
    case runtime(RuntimeError)
    case text(TextError)
    // Foreign formats: a file that reads but has no counterpart of the target architecture.
    case unsupportedConversion(file: String, reason: String)
    // ELMo's options file (--options): absent, given with other weights, or describing other weights.
    case optionsNotFound(file: String)
    case optionsNotApplicable(options: String, weights: String, format: String)
    case optionsContradictWeights(options: String, error: WeightsError)
    /// A converted file in the cache no longer has the SHA-256 recorded when it was converted.
    case cachedFileDamaged(file: String, model: String, recorded: String, actual: String)

    public var description: String {
        switch self {
        case .invalidManifest(let file, let reason): "\(file): invalid zoo manifest: \(reason)"
        case .noManifest(let model, let directory, let available):
            "no pretrained weights for '\(model)': there is no \(directory)/\(model)/manifest.json; "
                + "models with pretrained weights: \(available.joined(separator: ", "))"
        case .noWeights(let model): "the manifest of '\(model)' lists no weights"
        case .unknownVariant(let model, let variant, let known):
            "'\(model)' has no weights variant '\(variant)'; variants: \(known.joined(separator: ", "))"
        case .notFetched(let model, let cacheFile, let hint):
            "the weights of '\(model)' are not in the cache (\(cacheFile)): \(hint)"
        case .downloadPinMismatch(let file, let model, let pin, let actual):
            "\(file): \(actual), but the manifest of '\(model)' pins \(pin): not its weights"
        case .checksumMismatch(let file, let model, let expected, let actual):
            "\(file): SHA-256 is \(actual), but the manifest of '\(model)' pins \(expected): not its weights"
        case .sizeMismatch(let file, let model, let expected, let actual):
            "\(file): \(actual) bytes, but the manifest of '\(model)' pins \(expected)"
        case .downloadFailed(let url, let reason): "cannot download \(url): \(reason)"
        case .downloadInterrupted(let url, let received, let expected, let partialFile, let reason):
            "download of \(url) stopped after \(received) of \(expected) bytes (\(reason)); "
                + "\(partialFile) keeps them: fetch again to resume"
        case .unsupportedSource(let file):
            "\(file): cannot tell the weights format; convert from PyTorch (.pth/.pt/.bin), Keras (.h5, .weights.h5), ELMo bilm-tf (.hdf5), .onnx, .safetensors, or ModelZoo .h5/.hdf5 files"
        case .architectureMismatch(let model, let reason): "'\(model)': \(reason)"
        case .invalidGolden(let file, let reason): "\(file): unusable golden file: \(reason)"
        case .goldenMismatch(let model, let output, let reason):
            "'\(model)': output '\(output)' differs from the golden output: \(reason)"
        case .notATextModel(let model): "'\(model)' is not a text model: its manifest has no tokenizer and sentence embedding"
        case .file(let error): error.description
        case .weights(let error): error.description
        case .onnx(let error): error.description
        case .runtime(let error): error.description
        case .text(let error): error.description
        case .unsupportedConversion(let file, let reason): "\(file): cannot convert: \(reason)"
        case .optionsNotFound(let file): "\(file): no such options file (--options takes bilm-tf's options.json, published beside ELMo's weights)"
        case .optionsNotApplicable(let options, let weights, let format):
            "\(options): an options file configures ELMo's bilm-tf weights, but \(weights) is \(format): drop --options"
        case .optionsContradictWeights(let options, let error): "the configuration in \(options) does not fit the weights: \(error)"
        case .cachedFileDamaged(let file, let model, let recorded, let actual):
            "\(file): SHA-256 is \(actual), but it was \(recorded) when it was converted into the cache: the file is damaged; "
                + "'zoo fetch \(model)' downloads and converts it again"
        }
    }
}
