import ZooGraph
import ZooTensor

/// What a weights file says about its parameters: the root attributes of the layout in
/// Schemas/weights-hdf5.md.
public struct WeightsMetadata: Sendable, Equatable {
    /// The zoo registry id of the architecture the parameters belong to, e.g. `resnet18`.
    public var architecture: String
    /// The architecture's configuration as the text of a JSON object (`{}` when it has none).
    public var configuration: String
    /// The type floating-point parameters are stored in: float32, or float16 / bfloat16 for
    /// half-size files (saving rounds to nearest even), or float64. Integer and bool
    /// parameters keep their own type.
    public var dtype: DType
    /// The program that wrote the file.
    public var createdBy: String

    public init(
        architecture: String, configuration: String = "{}", dtype: DType = .float32,
        createdBy: String = "ModelZoo \(ModelZooVersion.string)"
    ) {
        self.architecture = architecture
        self.configuration = configuration
        self.dtype = dtype
        self.createdBy = createdBy
    }
}

/// How `WeightsFile.save` lays out the datasets.
public struct WeightsSaveOptions: Sendable, Equatable {
    /// Store each dataset in chunks of at most 1 MiB, byte-shuffled and gzip-compressed.
    /// Float32 weights shrink little: VGG-16-sized random weights went from 528 to 451 MiB,
    /// while saving took 13 s instead of 1.7 s and loading 1.9 s instead of 0.6 s
    /// (Benchmarks/README.md). Worth it mainly for weights with many zeros.
    public var compress: Bool
    /// gzip level, 1 (fastest) to 9 (smallest).
    public var compressionLevel: Int

    public init(compress: Bool = false, compressionLevel: Int = 4) {
        self.compress = compress
        self.compressionLevel = compressionLevel
    }
}

/// How `WeightsFile.load` treats what it reads.
public struct WeightsLoadOptions: Sendable, Equatable {
    /// Recompute each dataset's SHA-256 and compare it with its `sha256` attribute (datasets
    /// without one, such as files written by other tools, are not checked).
    public var verifyChecksums: Bool

    public init(verifyChecksums: Bool = true) {
        self.verifyChecksums = verifyChecksums
    }
}
