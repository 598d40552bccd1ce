/// Why an image could not be decoded or preprocessed; each case names the file at fault.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// Neither a JPEG nor a PNG signature.
    case unknownFormat(file: String)
    /// The header declares more pixels than `ImageDecoder.maximumPixels`; nothing was allocated.
    case tooLarge(file: String, width: Int, height: Int, limit: Int)
    /// The decoder refused the data (truncated, corrupt, or a warning about damaged data).
    case corrupt(file: String, format: String, reason: String)
    case invalidPreprocessing(reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read the image: \(reason)"
        case .unknownFormat(let file): "\(file): not a JPEG or PNG image (unknown signature)"
        case .tooLarge(let file, let width, let height, let limit):
            "\(file): the image declares \(width)x\(height) pixels, more than the \(limit) allowed"
        case .corrupt(let file, let format, let reason): "\(file): cannot decode the \(format) image: \(reason)"
        case .invalidPreprocessing(let reason): "invalid image preprocessing: \(reason)"
        }
    }
}
