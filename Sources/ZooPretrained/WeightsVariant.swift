import ZooTensor

/// One set of weights for a manifest's model: a zoo HDF5 file (Schemas/weights-hdf5.md),
/// pinned by SHA-256 and size, with where it came from and how well it does.
public struct WeightsVariant: Codable, Sendable, Equatable {
    /// Chooses between variants (`float32`, `float16`, ...).
    public var name: String
    /// The file's name: next to the manifest when it ships with the zoo, in the cache
    /// (`<cache>/<model id>/<file>`) otherwise.
    public var file: String
    /// Where to download the file from, if anywhere.
    public var url: String?
    /// SHA-256 of the whole file, 64 lowercase hexadecimal digits.
    public var sha256: String
    /// The file's size in bytes.
    public var size: Int
    /// The type floating-point parameters are stored in.
    public var dtype: DType
    /// SPDX identifier of the weights' licence.
    public var license: String
    public var source: WeightsSource
    public var metrics: [Metric]

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
