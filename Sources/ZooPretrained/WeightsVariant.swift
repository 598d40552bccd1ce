import ZooImage
import ZooTensor

/// One set of weights for a manifest's model: a zoo HDF5 file (Schemas/weights-hdf5.md),
/// pinned by SHA-256 and size, with where it came from and how well it does. Weights
/// published in another format are pinned through `download` instead: the upstream file is
/// checked, then converted.
public struct WeightsVariant: Codable, Sendable, Equatable {
    /// Chooses between variants (`float32`, `float16`, ...).
    public var name: String
    /// The file's name: next to the manifest when it ships with the zoo, in the cache
    /// (`<cache>/<model id>/<file>`) otherwise.
    public var file: String
    /// Where to download the file from, if anywhere.
    public var url: String?
    /// SHA-256 of the whole file, 64 lowercase hexadecimal digits; absent when the file is
    /// converted from a `download` that nobody could convert before it was published.
    public var sha256: String?
    /// The file's size in bytes; absent exactly when `sha256` is.
    public var size: Int?
    /// The upstream file that `fetch` downloads and converts into `file`.
    public var download: Download?
    /// This variant's image recipe when it differs from the manifest's
    /// `preprocessing.image` (torchvision's V2 recipes resize to 232, V1 to 256).
    public var image: ImagePreprocessing?
    /// The type floating-point parameters are stored in.
    public var dtype: DType
    /// SPDX identifier of the weights' licence.
    public var license: String
    public var source: WeightsSource
    public var metrics: [Metric]

    /// An upstream weights file in another format (a PyTorch checkpoint, Keras HDF5), pinned
    /// as its publisher pins it: torchvision names its files by the first 8 hex digits of
    /// their SHA-256 and states their size in MB only approximately; Keras Applications
    /// gives an MD5. Exactly one of `sha256Prefix` and `md5` is set.
    public struct Download: Codable, Sendable, Equatable {
        public var url: String
        /// The upstream file's name, also its name in the cache while it is converted.
        public var file: String
        /// The leading hexadecimal digits of the file's SHA-256.
        public var sha256Prefix: String?
        /// The file's MD5, 32 hexadecimal digits.
        public var md5: String?
        /// The size the publisher states in MB, rounded: for people, not checked.
        public var approximateMegabytes: Double?

        private enum CodingKeys: String, CodingKey {
            case url, file, md5
            case sha256Prefix = "sha256_prefix"
            case approximateMegabytes = "approximate_megabytes"
        }
    }

    /// What the download is checked against, for people.
    public var downloadPin: String? {
        guard let download else { return nil }
        if let md5 = download.md5 { return "its MD5 is \(md5) (the only hash its publisher gives)" }
        let prefix = download.sha256Prefix ?? ""
        // A "prefix" of all 64 digits is the whole hash (Hugging Face's pages show it).
        if prefix.count == 64 { return "its SHA-256 is \(prefix) (the whole hash, as its publisher gives it)" }
        return "its SHA-256 begins with \(prefix) (the only hash its publisher gives; not a full SHA-256)"
    }

    /// Where the weights came from and how they became this file.
    public struct WeightsSource: Codable, Sendable, Equatable {
        /// Who made the weights and how they reached us (a package, a training script).
        public var origin: String
        /// The file converted, if the weights came as one, and its SHA-256.
        public var originalFile: OriginalFile?
        /// What conversion did, for people.
        public var conversion: String
        /// Tensors of the original file that are deliberately not parameters, each with the
        /// reason; conversion drops exactly these and refuses any other unknown tensor.
        public var ignoredTensors: [String: String]?

        public struct OriginalFile: Codable, Sendable, Equatable {
            public var name: String
            public var sha256: String
            public var size: Int
        }

        private enum CodingKeys: String, CodingKey {
            case origin, conversion
            case originalFile = "original_file"
            case ignoredTensors = "ignored_tensors"
        }
    }

    /// A measured quality figure.
    public struct Metric: Codable, Sendable, Equatable {
        public var name: String
        public var value: Double
        /// The data it was measured on.
        public var dataset: String
        /// Which program measured it.
        public var measuredWith: String
        /// For accuracies: how many were right, out of how many.
        public var correct: Int?
        public var total: Int?

        private enum CodingKeys: String, CodingKey {
            case name, value, dataset, correct, total
            case measuredWith = "measured_with"
        }
    }
}
