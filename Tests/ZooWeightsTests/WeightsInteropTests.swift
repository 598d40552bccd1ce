import Foundation
import Testing
import ZooGraph
import ZooTensor
import ZooTestSupport
import ZooWeights

/// Our files read by tools nobody here wrote (h5py, h5dump), and files h5py wrote read by us.
@Suite struct WeightsInteropTests {
    struct Summary: Decodable {
        struct Attributes: Decodable, Equatable {
            let format: String
            let format_version: Int
            let architecture: String
            let config: String
            let dtype: String
            let created_by: String
        }

        struct Dataset: Decodable {
            let path: String
            let shape: [Int]
            let dtype: String
            let sum: Double
            let sha256: String
            let recorded_sha256: String?
            let layout: String
            let compression: String?
            let chunks: [Int]?
        }

        let attributes: Attributes
        let datasets: [String: Dataset]
    }

    /// What h5py, as numpy names it, reads for each stored type.
    static let numpyTypes: [DType: String] = [
        .float32: "float32", .float16: "float16", .bfloat16: "float32", .int64: "int64", .bool: "bool",
    ]

    @Test(arguments: [DType.float32, .float16, .bfloat16])
    func h5pyReadsTheSameNumbers(dtype: DType) throws {
        let path = try SampleWeights.saved(dtype: dtype)
        let summary = try Python.json(Summary.self, script: "h5_weights_summary.py", [path])
        #expect(summary.attributes == Summary.Attributes(
            format: "modelzoo-weights", format_version: 1, architecture: "tiny-net", config: #"{"classes":10,"width":8}"#,
            dtype: dtype.rawValue, created_by: "ModelZoo \(ModelZooVersion.string)"))

        let loaded = try WeightsFile.load(path).parameters
        #expect(Set(summary.datasets.keys) == Set(loaded.keys))
        for (name, tensor) in loaded {
            let dataset = try #require(summary.datasets[name])
            #expect(dataset.path == "/" + name.replacingOccurrences(of: ".", with: "/"))
            #expect(dataset.shape == tensor.shape, "\(name)")
            #expect(dataset.dtype == Self.numpyTypes[tensor.dtype], "\(name)")
            let sum = tensor.doubleValues.reduce(0, +)
            #expect(abs(dataset.sum - sum) <= 1e-9 * max(1, abs(sum)), "\(name): h5py sums to \(dataset.sum), we to \(sum)")
            let digest = tensor.withUnsafeBytes { SHA256.hexDigest(of: $0) }
            #expect(dataset.sha256 == digest, "\(name)")
            #expect(dataset.recorded_sha256 == digest, "\(name)")
            #expect(dataset.layout == "contiguous", "\(name)")
        }
    }

    @Test func compressedDatasetsAreGzipChunksOfAboutOneMebibyte() throws {
        let parameters = [
            Graph.Initializer(name: "wide.weight", tensor: try .random(shape: [300, 1000], seed: 1)),
            Graph.Initializer(name: "small.bias", tensor: try .random(shape: [1000], seed: 2)),
            Graph.Initializer(name: "scale", tensor: Tensor(scalar: Float(2))),
        ]
        let path = try temporaryDirectory() + "/compressed.h5"
        try WeightsFile.save(parameters, metadata: SampleWeights.metadata, to: path, options: WeightsSaveOptions(compress: true))
        let datasets = try Python.json(Summary.self, script: "h5_weights_summary.py", [path]).datasets
        #expect(datasets["wide.weight"]?.chunks == [150, 1000])
        #expect(datasets["wide.weight"]?.compression == "gzip")
        #expect(datasets["small.bias"]?.chunks == [1000])
        #expect(datasets["scale"]?.layout == "contiguous")  // a scalar cannot be chunked
        #expect(try WeightsFile.load(path).parameters == Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.tensor) }))
    }

    @Test func h5dumpListsTheLayout() throws {
        let path = try SampleWeights.saved()
        let header = try runTool("/usr/bin/h5dump", ["-H", path])
        for line in [
            #"GROUP "layer1" {"#, #"GROUP "0" {"#, #"GROUP "conv1" {"#, #"DATASET "weight" {"#,
            "DATATYPE  H5T_IEEE_F32LE", "DATASPACE  SIMPLE { ( 4, 8, 3, 3 ) / ( 4, 8, 3, 3 ) }",
            #"DATASET "num_batches_tracked" {"#, "DATATYPE  H5T_STD_I64LE", "DATASPACE  SCALAR",
            #"ATTRIBUTE "sha256" {"#, #"ATTRIBUTE "format" {"#, #"ATTRIBUTE "format_version" {"#,
            #"ATTRIBUTE "config" {"#, "STRSIZE 17;", "STRSIZE 65;", "CSET H5T_CSET_UTF8;",
        ] {
            #expect(header.contains(line), "h5dump -H lacks \(line)")
        }
        let attribute = try runTool("/usr/bin/h5dump", ["-a", "/format", path])
        #expect(attribute.contains(#"(0): "modelzoo-weights""#))
    }

    struct ExpectedTensor: Decodable {
        let dtype: String
        let shape: [Int]
        let values: [Double]
    }

    @Test func filesWrittenByH5pyInOurLayoutLoad() throws {
        let directory = try temporaryDirectory()
        let expected = try Python.json([String: [String: ExpectedTensor]].self, script: "write_h5_weights.py", [directory])
        #expect(expected.keys.sorted() == ["bfloat16.h5", "big_endian.h5", "compressed.h5", "float16.h5", "float32.h5"])
        for (file, tensors) in expected {
            let (metadata, parameters) = try WeightsFile.load("\(directory)/\(file)")
            #expect(metadata.architecture == "tiny-net")
            #expect(metadata.configuration == #"{"classes": 2}"#)
            #expect(metadata.createdBy.hasPrefix("h5py "))
            #expect(Set(parameters.keys) == Set(tensors.keys), "\(file)")
            for (name, tensor) in tensors {
                let loaded = try #require(parameters[name], "\(file): \(name)")
                #expect(loaded.dtype.rawValue == tensor.dtype, "\(file): \(name)")
                #expect(loaded.shape == tensor.shape, "\(file): \(name)")
                #expect(loaded.doubleValues == tensor.values, "\(file): \(name)")
            }
        }
        // The script records a SHA-256 on float32.h5's two float weights only; `zoo verify`
        // reports how many datasets carried one.
        #expect(try WeightsFile.read("\(directory)/float32.h5").checksummedParameters == ["features.0.weight", "classifier.weight"])
    }
}
